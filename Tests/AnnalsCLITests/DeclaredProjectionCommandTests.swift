import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
import AnnalsTimeline
import AnnalsTimelineProjections
import Foundation
import Testing

/// `annals projection define|drop|show`: a projection declared in a file, kept in the log.
@Suite struct DeclaredProjectionCommandTests {
    let directory = TemporaryDirectory()


    private func example(_ name: String) -> String { repositoryRoot + "/examples/projections/\(name).yaml" }

    @Test func theFourExamplesAnswerTheirQuestionsOverTheSeeds() throws {
        let cli = CLI.seeded(in: directory)
        for name in ["ransoms-by-payer-month", "statements-by-speaker", "facts-by-actor-year", "talks-by-place"] {
            let defined = cli.run("projection", "define", example(name))
            #expect(defined.status == 0, "\(defined.error)")
        }
        #expect(cli.run("projection", "show", "ransoms-by-payer-month").output == """
            ACTOR              MONTH    COUNT  SUM RANSOM    FIRST       FACTS
            colonial-pipeline  2021-05      1  ~5000000 USD  2021-05-06  colonial-pipeline-ransom-payment
            1 group, as of position 87 (version 1)

            """)
        #expect(cli.run("projection", "show", "talks-by-place", "--format", "csv").output == """
            place,count,sum_duration,max_duration,mean_duration,first,facts
            Geneva,1,3.5 h,3.5 h,3.5 h,2021-06-16,geneva-summit-talks-duration
            "Villa La Grange, Geneva, Switzerland",1,,,,2021-06-16,geneva-summit-2021

            """)
        let speakers = cli.run("projection", "show", "statements-by-speaker", "--format", "jsonl").output.split(separator: "\n")
        #expect(speakers.count == 2)
        let biden = try #require(try JSONSerialization.jsonObject(with: Data(speakers[0].utf8)) as? [String: Any])
        #expect((biden["group"] as? [String: Any])?["actor"] as? String == "joe-biden")
        #expect(biden["count"] as? Int == 10)
        #expect((biden["facts"] as? [String: Any])?["total"] as? Int == 10)
        #expect(((biden["facts"] as? [String: Any])?["ids"] as? [String])?.count == 3)

        let listed = cli.run("projections").output
        #expect(listed.contains("talks-by-place          declared        1          87    0"))
        #expect(listed.contains("definitions             built-in        1          87    0"))
    }

    /// `annals bench query --existing` reads each declared projection of the store whole, as
    /// `projection show` does, and reports how many groups it read.
    @Test func benchQueryReadsEachDeclaredProjectionOfAnExistingStore() throws {
        let cli = CLI.seeded(in: directory)
        for name in ["statements-by-speaker", "talks-by-place"] {
            #expect(cli.run("projection", "define", example(name)).status == 0)
        }
        let bench = cli.run("bench", "query", "--existing", cli.store, "--queries", "3", "--format", "json")
        #expect(bench.status == 0, "\(bench.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(bench.output.utf8)) as? [String: Any])
        let declared = try #require(report["declared"] as? [[String: Any]])
        #expect(declared.map { $0["name"] as? String } == ["statements-by-speaker", "talks-by-place"])
        #expect(declared.map { $0["groups"] as? Int } == [2, 2])
        for reads in declared {
            for way in ["show", "in_place"] {
                let times = try #require(reads[way] as? [String: Any])
                #expect(Set(times.keys) == ["p50_us", "p99_us", "max_us"])
            }
        }
    }

    @Test func theSameDefinitionAppendsNothingAndAChangedOneIsANewVersionRebuilt() throws {
        let cli = CLI.seeded(in: directory)
        #expect(cli.run("projection", "define", example("talks-by-place")).output == "talks-by-place: defined as version 1 at position 84; 2 groups\n")
        // The same definition, written differently, is the same bytes.
        let reordered = try directory.write("""
            measures: [count, {sum: duration, unit: h}, {max: duration}, {mean: duration}, first, {facts: 10}]
            group-by: place
            filter: {kinds: [talks, summit]}
            description: Talks and summits by place, with their durations
            name: talks-by-place
            """, to: "same.yaml")
        #expect(cli.run("projection", "define", reordered).output == "talks-by-place: unchanged (version 1); nothing appended\n")
        let changed = try directory.write("name: talks-by-place\nfilter: {kinds: [talks, summit]}\ngroup-by: [kind]\nmeasures: [count]\n", to: "changed.yaml")
        #expect(cli.run("projection", "define", changed).output == "talks-by-place: defined as version 2 at position 85; 2 groups\n")
        #expect(cli.run("projection", "show", "talks-by-place").output == """
            KIND    COUNT
            summit      1
            talks       1
            2 groups, as of position 85 (version 2)

            """)
        // As of the first version's position, the first definition answers.
        #expect(cli.run("projection", "show", "talks-by-place", "--as-of", "84").output.hasPrefix("PLACE                                 COUNT"))
        #expect(cli.run("projection", "show", "talks-by-place", "--as-of", "83").error
            == "annals: the projection \"talks-by-place\" was not defined as of position 83\n")
        let negative = cli.run("projection", "show", "talks-by-place", "--as-of", "-5")
        #expect(negative.status == 64)
        #expect(negative.error == "annals: --as-of needs a log position (0 or more) or a time (like 2021-06-10T12:00Z), got -5\n")

        // Replaying rebuilds it from the log, and the log carries the definition to a backup.
        #expect(cli.run("replay", "--projection", "talks-by-place").status == 0)
        #expect(cli.run("replay", "--check").status == 0)
        let backup = directory.appending("backup")
        #expect(cli.run("backup", backup).status == 0)
        let restored = CLI(store: backup)
        #expect(restored.run("projection", "show", "talks-by-place", "--format", "json").output
            == cli.run("projection", "show", "talks-by-place", "--format", "json").output)

        // An export carries the definitions as events of their own, and an import runs them.
        let exported = directory.appending("log.jsonl")
        #expect(cli.run("export", exported).status == 0)
        let imported = CLI(store: directory.appending("imported"))
        #expect(imported.run("import", exported).status == 0)
        #expect(imported.run("projection", "show", "talks-by-place", "--format", "csv").output
            == cli.run("projection", "show", "talks-by-place", "--format", "csv").output)

        #expect(cli.run("projection", "drop", "talks-by-place").output == "talks-by-place: dropped at position 86\n")
        let after = cli.run("projection", "show", "talks-by-place")
        #expect(after.status == 1)
        #expect(after.error == "annals: no declared projection is called \"talks-by-place\"; none is declared (annals projection define FILE declares one)\n")
        #expect(!cli.run("projections").output.contains("talks-by-place"))
        #expect(cli.run("projection", "drop", "talks-by-place").status == 1)
        // Defined again after the drop: a new version, built from the whole log.
        #expect(cli.run("projection", "define", changed).output == "talks-by-place: defined as version 4 at position 87; 2 groups\n")
    }

    @Test(arguments: [
        ("unknown-field.yaml", "name: x\ngroup-by: [kind]\nsort: count\n",
         "$F:3: sort: is not a known field; expected one of name, description, filter, group-by, measures"),
        ("unknown-filter.yaml", "name: x\nfilter:\n  kind: [talks]\ngroup-by: [kind]\n",
         "$F:3: filter.kind: is not a known field; expected one of kinds, actors, roles, period, publishers, has-quantity"),
        ("unknown-quantity.yaml", "name: x\ngroup-by: [kind]\nmeasures:\n  - count\n  - sum: ransoms\n",
         "$F:5: measures[1].sum: ransoms is not a quantity of any fact in the store; the store's quantities are duration, ransom, sectors"),
        ("non-numeric.yaml", "name: x\ngroup-by: [kind]\nmeasures: [{mean: kind}]\n",
         "$F:3: measures[0].mean: kind is a field of a fact, not a quantity; mean takes the name of a quantity, such as ransom or duration"),
        ("empty-grouping.yaml", "name: x\ngroup-by: []\n",
         "$F:2: group-by: is empty; group by at least one of actor, role, kind, place, publisher, article, year, quarter, month, week, day"),
        ("no-grouping.yaml", "name: x\nmeasures: [count]\n",
         "$F:1: group-by: is missing; group by at least one of actor, role, kind, place, publisher, article, year, quarter, month, week, day"),
        ("built-in.yaml", "name: timeline\ngroup-by: [kind]\n",
         "$F:1: name: timeline is the name of a built-in projection; choose another"),
        ("bad-dimension.yaml", "name: x\ngroup-by: [kind, country]\n",
         "$F:2: group-by[1]: \"country\" is not a dimension; expected one of actor, role, kind, place, publisher, article, year, quarter, month, week, day"),
        ("bad-kind.yaml", "name: x\nfilter: {kinds: [talk]}\ngroup-by: [kind]\n",
         "$F:2: filter.kinds[0]: \"talk\" is not one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other"),
        ("bad-name.yaml", "name: Talks By Place\ngroup-by: [kind]\n",
         "$F:1: name: \"Talks By Place\" is not a projection name; expected 1 to 40 characters of a-z, 0-9 and -"),
        ("bad-limit.yaml", "name: x\ngroup-by: [kind]\nmeasures: [{facts: 0}]\n",
         "$F:3: measures[0].facts: 0 is not a number of fact ids; expected a whole number from 1 to 1000"),
        ("two-periods.yaml", "name: x\ngroup-by: [month, actor, year]\n",
         "$F:2: group-by[2]: groups by year as well as month; group by one period at most"),
        ("same-dimension.yaml", "name: x\ngroup-by: [actor, actor]\n",
         "$F:2: group-by[1]: groups by actor a second time; each dimension once"),
        ("unit-on-money.yaml", "name: x\ngroup-by: [kind]\nmeasures: [{sum: ransom, unit: min}]\n",
         "$F:3: measures[0].unit: min converts durations of seconds to weeks, but the store's ransom values are in USD"),
        ("calendar-unit.yaml", "name: x\ngroup-by: [kind]\nmeasures: [{sum: duration, unit: mo}]\n",
         "$F:3: measures[0].unit: mo converts months and years, but the store's duration values are in h"),
        ("bad-unit.yaml", "name: x\ngroup-by: [kind]\nmeasures: [{sum: duration, unit: hours}]\n",
         "$F:3: measures[0].unit: \"hours\" is not a duration unit; expected one of s, min, h, d, wk, mo, yr"),
        ("not-yaml.yaml", "name: [x\n", "$F:2: is not valid YAML: did not find expected ',' or ']'"),
        ("too-long.yaml", "name: x\ngroup-by: [kind]\n" + String(repeating: "# a comment line\n", count: 4_000),
         "$F: is 68,025 bytes long; a projection file has at most 65,536 bytes (64 KiB)"),
    ])
    func aBadDefinitionIsOneLineNamingTheFileLineAndFieldAndAppendsNothing(file: String, text: String, message: String) throws {
        let cli = CLI.seeded(in: directory)
        let path = try directory.write(text, to: file)
        let head = try TimelineStore(path: cli.store).log.head()
        let result = cli.run("projection", "define", path)
        #expect(result.status == 65)
        #expect(result.error == "annals: " + message.replacingOccurrences(of: "$F", with: path) + "\n")
        #expect(try TimelineStore(path: cli.store).log.head() == head)
    }

    @Test func textFromArticlesIsEscapedWhereverItLands() throws {
        let cli = CLI(store: directory.appending("store"))
        let facts = try directory.write("""
            {"type":"article","id":"a1","title":"T","publisher":"=HYPERLINK(\\"x\\")","published":"2021-06","text":"It happened."}
            {"type":"fact","article":"a1","id":"f1","kind":"talks","when":"2021-06-16","summary":"S","place":"Gen\\u202eeva, \\"Old\\" Town","quote":"It happened."}

            """, to: "hostile.jsonl")
        #expect(cli.run("ingest", facts).status == 0)
        let definition = try directory.write("name: hostile\ngroup-by: [publisher, place]\n", to: "p.yaml")
        #expect(cli.run("projection", "define", definition).status == 0)
        #expect(cli.run("projection", "show", "hostile", "--format", "csv").output == """
            publisher,place,count
            "'=HYPERLINK(""x"")","Gen\u{202E}eva, ""Old"" Town",1

            """)
        // The terminal sees the override as a visible notation, never the character itself.
        #expect(cli.run("projection", "show", "hostile").output == """
            PUBLISHER        PLACE                       COUNT
            =HYPERLINK("x")  Gen<U+202E>eva, "Old" Town      1
            1 group, as of position 3 (version 1)

            """)
        let json = cli.run("projection", "show", "hostile", "--format", "json").output
        #expect(json.contains(#""place":"Gen\#u{202E}eva, \"Old\" Town""#))
    }

    /// `show` writes straight from the store's bytes; what it writes, in every format, is what
    /// the copied-out result (``TimelineStore/declaredResult(_:asOf:progress:)``) holds, over
    /// amounts of several units and signs, rounded means, open dates, a listed-ids limit and
    /// text that needs escaping.
    @Test func showWritesWhatTheCopiedOutResultHolds() throws {
        let cli = CLI(store: directory.appending("store"))
        let facts = try directory.write("""
            {"type":"article","id":"a1","title":"T","publisher":"P, \\"Q\\"","published":"2021-06","text":"It happened."}
            {"type":"fact","article":"a1","id":"f1","kind":"ransom-payment","when":"2021-05-06","summary":"S","quantities":[{"name":"ransom","value":4400000,"unit":"USD"},{"name":"talk","value":1,"unit":"h"}],"quote":"It happened."}
            {"type":"fact","article":"a1","id":"f2","kind":"ransom-payment","when":"2021-05-07T10:30Z","summary":"S","quantities":[{"name":"ransom","value":75,"unit":"BTC","approximate":true},{"name":"talk","value":20,"unit":"min"}],"quote":"It happened."}
            {"type":"fact","article":"a1","id":"f3","kind":"ransom-payment","when":"2021-05-08","summary":"S","quantities":[{"name":"ransom","value":-0.25,"unit":"USD"},{"name":"talk","value":2,"unit":"h"}],"quote":"It happened."}
            {"type":"fact","article":"a1","id":"f4","kind":"talks","when":"2021-06/..","summary":"S","place":"Gen\\u202eeva","quote":"It happened."}
            {"type":"fact","article":"a1","id":"f5","kind":"talks","when":"2021-06-02","summary":"S","place":"A long place \\u200b hidden","quote":"It happened."}
            {"type":"fact","article":"a1","id":"f6","kind":"talks","when":"2021-06-03","summary":"S","place":"Zürich, a long place","quote":"It happened."}

            """, to: "facts.jsonl")
        let ingested = cli.run("ingest", facts)
        #expect(ingested.status == 0, "\(ingested.error)")
        let definitions = [
            "name: amounts\ngroup-by: [kind, publisher]\nmeasures:\n  - count\n  - sum: ransom\n  - min: ransom\n  - max: ransom\n  - mean: ransom\n"
                + "  - mean: talk\n  - sum: talk\n    unit: min\n  - first\n  - last\n  - facts: 2\n",
            "name: by-week\ngroup-by: [place, week]\nmeasures: [count, first, last, facts]\n",
        ]
        for (index, text) in definitions.enumerated() {
            let defined = cli.run("projection", "define", try directory.write(text, to: "p\(index).yaml"))
            #expect(defined.status == 0, "\(defined.error)")
        }
        let store = try TimelineStore(path: cli.store)
        for name in ["amounts", "by-week"] {
            let result = try store.declaredResult(name)
            let measureColumns = result.definition.measures.map { (measure: DeclaredDefinition.Measure) -> String in
                let quantity = measure.quantity.map { "_" + $0 } ?? ""
                let unit = measure.unit.map { "_" + $0.rawValue } ?? ""
                return measure.kind.rawValue + quantity + unit
            }
            let columns = result.definition.groupBy.map(\.description) + measureColumns
            // JSON: every group's every value, as the copied-out rows hold it.
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(cli.run("projection", "show", name, "--format", "json").output.utf8)) as? [String: Any])
            let groups = try #require(shown["groups"] as? [[String: Any]])
            #expect(groups.count == result.rows.count)
            for (group, row) in zip(groups, result.rows) {
                let values = try #require(group["group"] as? [String: Any])
                #expect(result.definition.groupBy.map { values[$0.description] as? String } == row.group)
                for (column, value) in zip(columns.dropFirst(row.group.count), row.values) {
                    switch value {
                    case .count(let count): #expect(group[column] as? Int == count)
                    case .date(let date): #expect(group[column] as? String == date)
                    case let .facts(ids, total):
                        let facts = try #require(group[column] as? [String: Any])
                        #expect(facts["ids"] as? [String] == ids && facts["total"] as? Int == total)
                    case .amounts(let amounts):
                        let shownAmounts = try #require(group[column] as? [[String: Any]])
                        #expect(shownAmounts.map { "\(($0["value"] as? NSNumber)?.decimalValue ?? -1) \($0["unit"] ?? "")" }
                            == amounts.map { "\(Decimal(string: $0.value) ?? -2) \($0.unit)" })
                        #expect(shownAmounts.map { [$0["approximate"] as? Bool, $0["rounded"] as? Bool] } == amounts.map { [$0.isApproximate, $0.isRounded] })
                        #expect(shownAmounts.map { $0["facts"] as? Int } == amounts.map { $0.count })
                    }
                }
            }
            // JSON Lines: the same groups, one to a line.
            let lines = cli.run("projection", "show", name, "--format", "jsonl").output.split(separator: "\n")
            #expect(try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary } == groups.map { $0 as NSDictionary })
            // CSV and the table: each cell the copied-out value's text.
            func text(_ value: MeasureValue) -> String {
                switch value {
                case .count(let count): "\(count)"
                case .amounts(let amounts): amounts.map(\.display).joined(separator: "; ")
                case .date(let date): date ?? ".."
                case let .facts(ids, total): ids.joined(separator: ", ") + (total > ids.count ? " (+\(total - ids.count) more)" : "")
                }
            }
            let cells = result.rows.map { row in row.group.map { $0 ?? "" } + row.values.map(text) }
            let csv = cli.run("projection", "show", name, "--format", "csv").output
            #expect(csv.split(separator: "\n").count == result.rows.count + 1)
            let table = cli.run("projection", "show", name).output.split(separator: "\n").dropFirst()
            for (row, (csvLine, tableLine)) in zip(cells, zip(csv.split(separator: "\n").dropFirst(), table)) {
                for cell in row where !cell.isEmpty {
                    let quoted = cell.contains(",") || cell.contains("\"") || cell.hasPrefix("=") || cell.hasPrefix("-")
                    #expect(csvLine.contains(quoted ? "\"" + (cell.first == "=" || cell.first == "-" ? "'" : "") + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell))
                    let visible = cell.unicodeScalars.map { scalar in
                        scalar == "\u{200B}" || scalar == "\u{202E}" ? "<U+" + String(format: "%04X", scalar.value) + ">" : String(scalar)
                    }.joined()
                    #expect(tableLine.contains(visible))
                }
            }
        }
        // The amounts in full, as the table shows them: units in order, exact sums, rounded means marked.
        #expect(cli.run("projection", "show", "amounts").output == """
            KIND            PUBLISHER  COUNT  SUM RANSOM               MIN RANSOM          MAX RANSOM            MEAN RANSOM               MEAN TALK    SUM TALK MIN  FIRST       LAST        FACTS
            ransom-payment  P, "Q"         3  ~75 BTC; 4399999.75 USD  ~75 BTC; -0.25 USD  ~75 BTC; 4400000 USD  ~75 BTC; 2199999.875 USD  ~1.111111 h  200 min       2021-05-06  2021-05-08  f1, f2 (+1 more)
            talks           P, "Q"         3                                                                                                                          2021-06-01  ..          f4, f5 (+1 more)
            2 groups, as of position 9 (version 1)

            """)
    }

    /// An answer larger than the pieces `show` writes in (64 KiB) arrives whole, in order, in
    /// every format.
    @Test func aLongAnswerArrivesWholeInEveryFormat() throws {
        let cli = CLI(store: directory.appending("store"))
        var lines = [#"{"type":"article","id":"a1","title":"T","publisher":"P","published":"2021-06","text":"It happened."}"#]
        for index in 0..<1_500 {
            let place = "Place number \(String(index + 10_000)) on a long road"
            lines.append(#"{"type":"fact","article":"a1","id":"f\#(index)","kind":"talks","when":"2021-06-16","summary":"S","place":"\#(place)","quote":"It happened."}"#)
        }
        let ingested = cli.run("ingest", try directory.write(lines.joined(separator: "\n") + "\n", to: "many.jsonl"))
        #expect(ingested.status == 0, "\(ingested.error)")
        #expect(cli.run("projection", "define", try directory.write("name: places\ngroup-by: [place]\nmeasures: [count, first, facts]\n", to: "p.yaml")).status == 0)
        let places = (0..<1_500).map { "Place number \(String($0 + 10_000)) on a long road" }

        let table = cli.run("projection", "show", "places").output
        #expect(table.utf8.count > 1 << 16)
        let rows = table.split(separator: "\n")
        #expect(rows.count == 1_502)
        #expect(rows.dropFirst().dropLast().map { String($0.prefix(33)) } == places)
        #expect(rows.last == "1,500 groups, as of position 1502 (version 1)")

        let csv = cli.run("projection", "show", "places", "--format", "csv").output.split(separator: "\n")
        #expect(csv.count == 1_501)
        #expect(csv.dropFirst().map { String($0.split(separator: ",")[0]) } == places)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(cli.run("projection", "show", "places", "--format", "json").output.utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.map { ($0["group"] as? [String: Any])?["place"] as? String } == places)

        let jsonl = cli.run("projection", "show", "places", "--format", "jsonl").output.split(separator: "\n")
        #expect(try jsonl.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary } == groups.map { $0 as NSDictionary })
    }

    /// Group values of any length: a long place, publisher and article id, grouped by every
    /// dimension at once, stay within LMDB's key size, apart from one another, and whole.
    @Test func longGroupValuesAreKeptWholeAndApart() throws {
        let cli = CLI(store: directory.appending("store"))
        let place = String(repeating: "日", count: 199)
        let publisher = String(repeating: "Publisher ", count: 19) + "P"
        let article = String(repeating: "a", count: 100)
        let facts = try directory.write("""
            {"type":"article","id":"\(article)","title":"T","publisher":"\(publisher)","published":"2021-06","text":"It happened."}
            {"type":"alias","actor":"\(String(repeating: "x", count: 100))","name":"X","kind":"person"}
            {"type":"fact","article":"\(article)","id":"\(String(repeating: "f", count: 100))","kind":"talks","when":"2021-06-16","summary":"S","actors":[{"actor":"\(String(repeating: "x", count: 100))","role":"participant"}],"place":"\(place)","quote":"It happened."}
            {"type":"fact","article":"\(article)","id":"g","kind":"talks","when":"2021-06-16","summary":"S","place":"\(place)x","quote":"It happened."}

            """, to: "long.jsonl")
        let ingested = cli.run("ingest", facts)
        #expect(ingested.status == 0, "\(ingested.error)")
        let definition = try directory.write("name: everything\ngroup-by: [place, publisher, article, actor, role, kind, week]\nmeasures: [count, facts]\n", to: "p.yaml")
        let defined = cli.run("projection", "define", definition)
        #expect(defined.status == 0, "\(defined.error)")
        let rows = cli.run("projection", "show", "everything", "--format", "jsonl").output.split(separator: "\n")
        #expect(rows.count == 2)
        let groups = try rows.map { row in
            try #require((try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])?["group"] as? [String: Any])
        }
        #expect(groups.map { $0["place"] as? String } == [place, place + "x"])
        #expect(groups.allSatisfy { $0["publisher"] as? String == publisher && $0["article"] as? String == article })
        #expect(cli.run("replay", "--check").status == 0)
    }

    /// A store a long-running process opened keeps out of the way of a projection another
    /// process redefines: it neither rebuilds the old version nor answers from the new state.
    @Test func aStoreOpenedBeforeARedefinitionLeavesTheNewVersionAlone() throws {
        let cli = CLI.seeded(in: directory)
        #expect(cli.run("projection", "define", example("talks-by-place")).status == 0)
        let open = try TimelineStore(path: cli.store)
        let changed = try directory.write("name: talks-by-place\nfilter: {kinds: [talks, summit]}\ngroup-by: [kind]\n", to: "changed.yaml")
        let redefined = try runProcess(builtExecutable("annals"), ["--store", cli.store, "projection", "define", changed])
        #expect(redefined.status == 0, "\(redefined.standardError)")
        try open.catchUp()
        let status = try #require(try open.projections.status().first { $0.name == "talks-by-place" })
        #expect(status.storedVersion == 2)
        #expect(throws: DeclaredProjectionError.redefinedSinceOpened("talks-by-place")) { try open.declaredResult("talks-by-place") }
    }
}
