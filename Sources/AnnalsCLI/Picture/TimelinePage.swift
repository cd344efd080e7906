import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import AnnalsTimelineProjections
import Crypto

/// The timeline as one self-contained HTML page: the facts of a ``TimelineHistory`` as data, a
/// script that draws them as of any position, and nothing fetched from anywhere (a served page
/// also follows the store's new events).
enum TimelinePage {
    /// Where a served page follows the store: its event stream and its data, as paths on the server.
    struct Live {
        let events: String
        let data: String
    }

    /// The page's data: the facts with every version, how to draw each kind, and the articles.
    static func data(_ history: TimelineHistory, title: String, subtitle: String, live: Live?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("title", .string(title)),
            ("subtitle", .string(subtitle)),
            ("as_of", .integer(history.asOfPosition)),
            ("recorded_at", .optional(history.asOfRecordedAt?.description)),
            ("offset", .integer(history.offset)),
            ("has_more", .bool(history.hasMore)),
            ("kinds", .array(KindStyle.all.map { style in
                .object([("kind", .string(style.kind.rawValue)), ("path", .string(style.path)), ("colour", .string(style.colour))])
            })),
            ("articles", .object(history.articles.sorted { $0.key < $1.key }.map { id, article in
                (id, .object(article.jsonMembers + [("link", .optional(Markup.linkableURL(article.url)))]))
            })),
            ("facts", .array(history.facts.map { fact in
                .object([
                    ("fact", .string(fact.id)),
                    ("versions", .array(zip(fact.versions, fact.matches).map { version, matches in
                        .object([
                            ("position", .integer(version.position)),
                            ("until", version.until.map { .integer($0) } ?? .null),
                            ("recorded_at", .string(version.recordedAt.description)),
                            ("matches", .bool(matches)),
                            ("mark", mark(version.view.when)),
                            ("fact", version.view.json(actorNames: history.actorNames)),
                        ])
                    })),
                ])
            })),
        ]
        if let live {
            members.append(("live", .object([("events", .string(live.events)), ("data", .string(live.data))])))
        }
        return .object(members)
    }

    /// How a date is drawn: where it starts and ends in seconds (`null` for an open end), whether
    /// it is a point (a day or finer) rather than a span, how sure it is, and in words.
    static func mark(_ when: ValidTime) -> JSONValue {
        var isPoint = false
        if case .point(let point) = when.shape, point.precision >= .day { isPoint = true }
        return .object([
            ("from", when.start == .min ? .null : .integer(when.start)),
            ("to", when.end == .max ? .null : .integer(when.end)),
            ("point", .bool(isPoint)),
            ("approximate", .bool(when.isApproximate)),
            ("uncertain", .bool(when.isUncertain)),
            ("words", .string(DateWords.words(when))),
        ])
    }

    /// The whole page. Its Content-Security-Policy lets only this page's own script and style run.
    static func html(_ history: TimelineHistory, title: String, subtitle: String, live: Live? = nil) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(policy(live: live))">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="annals">
        <title>\(Markup.text(title))</title>
        <style>\(TimelinePageStyle.source)</style>
        </head>
        <body>
        <header>
        <h1 class="t">\(Markup.text(title))</h1>
        <p class="t">\(Markup.text(subtitle))</p>
        </header>
        <main>
        <form id="controls" aria-label="What to show">
        <label>Transaction time <input type="range" id="asof" min="0" max="\(history.asOfPosition)" step="1" value="\(history.asOfPosition)" aria-describedby="asof-label"></label>
        <button type="button" id="asof-previous" aria-label="Previous change">‹</button>
        <button type="button" id="asof-next" aria-label="Next change">›</button>
        <output id="asof-label" for="asof"></output>
        <select id="asof-batch" aria-label="Jump to a recorded batch"></select>
        <label>Lanes <select id="lanes"><option value="kind">by kind</option><option value="actor">by actor</option></select></label>
        <label><input type="checkbox" id="retracted"> show retracted facts</label>
        <span role="group" aria-label="Zoom"><button type="button" id="zoom-in" aria-label="Zoom in">+</button> <button type="button" id="zoom-out" aria-label="Zoom out">−</button> <button type="button" id="zoom-fit">Fit</button></span>
        </form>
        <ul id="legend" aria-label="Kinds"></ul>
        <div class="frame" tabindex="0" aria-label="Timeline chart: + and − zoom, arrow keys pan, 0 fits">
        <svg id="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Timeline"></svg>
        </div>
        <div class="columns">
        <section aria-labelledby="facts-heading"><h2 id="facts-heading">Facts <small id="count"></small></h2><ol id="facts"></ol></section>
        <aside id="details" aria-live="polite"></aside>
        </div>
        <noscript><p>This page draws the timeline with JavaScript. <code>annals timeline</code> prints the same facts as text, and <code>--format svg</code> as a picture.</p></noscript>
        </main>
        <footer>Made by Annals from its event log. <span id="rendered"></span></footer>
        <script type="application/json" id="annals-data">\(Markup.scriptJSON(data(history, title: title, subtitle: subtitle, live: live)))</script>
        <script>\(TimelinePageScript.source)</script>
        </body>
        </html>

        """
    }

    /// The page's Content-Security-Policy: its own script and style, nothing else; a served page
    /// may also fetch from its server. `annals serve` sends it as a header too.
    static func policy(live: Live?) -> String {
        [
            "default-src 'none'",
            "script-src '\(hash(TimelinePageScript.source))'",
            "style-src '\(hash(TimelinePageStyle.source))'",
            "img-src data:",
            "connect-src \(live == nil ? "'none'" : "'self'")",
            "base-uri 'none'",
            "form-action 'none'",
        ].joined(separator: "; ")
    }

    /// A CSP source expression for an inline element's exact text.
    static func hash(_ text: String) -> String {
        "sha256-" + base64(Array(SHA256.hash(data: Array(text.utf8))))
    }

    static func base64(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { Base64.encoded($0) }
    }
}
