import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A request the server refuses, with the status it answers and a message in one line.
struct RequestProblem: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// `annals serve`'s HTTP side: the live timeline page, the queries' JSON under `/api`, and the
/// stream of appended events. Every answer comes from a read transaction; nothing here writes.
final class QueryServer: Sendable {
    let store: TimelineStore
    let host: String
    let port: Int
    /// How many event streams are open now (`/api/status` says, so a client can tell it is followed).
    let openStreams = Mutex(0)

    /// How often an event stream looks for new events, and after how many quiet looks it sends a
    /// comment so that proxies and the client know the connection is alive.
    static let pollInterval: Duration = .milliseconds(200)
    static let keepAliveEvery = 75

    init(store: TimelineStore, host: String, port: Int) {
        self.store = store
        self.host = host
        self.port = port
    }

    /// The addresses and what each answers, as `/api` lists them. The parameters are the
    /// command-line options of the same names, with the same meaning and the same checks.
    static let endpoints: [(path: String, command: String, parameters: [String])] = [
        ("/", "annals timeline --format html", pageParameters),
        ("/api/page", "the page's data (what --format html puts in the page)", pageParameters),
        ("/api/timeline", "annals timeline --format json", ["from", "to", "as-of", "actor", "kind", "limit", "offset"]),
        ("/api/actor/{name}", "annals actor NAME --format json", ["from", "to", "as-of", "limit", "offset"]),
        ("/api/actors", "annals actors --format json", ["as-of", "limit", "offset"]),
        ("/api/fact/{id}", "annals fact ID --format json", ["as-of"]),
        ("/api/fact/{id}/history", "annals fact ID --history --format json", []),
        ("/api/sources", "annals sources --format json", ["limit", "offset"]),
        ("/api/sources/{article}", "annals sources ARTICLE --format json", []),
        ("/api/log", "annals log --format json", ["after", "limit"]),
        ("/api/changes", "annals changes --format json", ["since", "until"]),
        ("/api/events", "Server-Sent Events: each appended event as annals log --format jsonl writes it", ["after"]),
        ("/api/status", "the store's head, its projections and how many event streams are open", []),
    ]
    static let pageParameters = ["from", "to", "actor", "kind", "limit", "offset"]
    /// What the page's script keeps in its address (`?as-of=36&fact=…`); the server ignores them,
    /// and the page's data always reaches the head so the script can move through all of it.
    static let pageScriptParameters = ["as-of", "fact"]

    static func parameters(of path: String) -> [String] {
        endpoints.first { $0.path == path }?.parameters ?? []
    }

    /// Builds the application; `onRunning` is given the port it listens on once it does.
    func application(onRunning: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: Guard(host: host))
        router.get("/") { request, _ in self.respond { try self.page(request) } }
        router.get("/api") { _, _ in self.json(self.index()) }
        router.get("/api/page") { request, _ in self.respond { try self.pageData(request) } }
        router.get("/api/timeline") { request, _ in
            self.respond { try self.answer(TimelineCommand.self, request, parameters: Self.parameters(of: "/api/timeline")) }
        }
        router.get("/api/actor/{name}") { request, context in
            self.respond {
                try self.answer(ActorCommand.self, request, parameters: Self.parameters(of: "/api/actor/{name}"), word: try Self.word("name", context))
            }
        }
        router.get("/api/actors") { request, _ in
            self.respond { try self.answer(ActorsCommand.self, request, parameters: Self.parameters(of: "/api/actors")) }
        }
        router.get("/api/fact/{id}") { request, context in
            self.respond { try self.answer(FactCommand.self, request, parameters: Self.parameters(of: "/api/fact/{id}"), word: try Self.word("id", context)) }
        }
        router.get("/api/fact/{id}/history") { request, context in
            self.respond { try self.answer(FactCommand.self, request, parameters: [], flags: ["--history"], word: try Self.word("id", context)) }
        }
        router.get("/api/sources") { request, _ in
            self.respond { try self.answer(SourcesCommand.self, request, parameters: Self.parameters(of: "/api/sources")) }
        }
        router.get("/api/sources/{article}") { request, context in
            self.respond { try self.answer(SourcesCommand.self, request, parameters: [], word: try Self.word("article", context)) }
        }
        router.get("/api/log") { request, _ in
            self.respond { try self.answer(LogCommand.self, request, parameters: Self.parameters(of: "/api/log")) }
        }
        router.get("/api/changes") { request, _ in
            self.respond { try self.answer(ChangesCommand.self, request, parameters: Self.parameters(of: "/api/changes")) }
        }
        router.get("/api/events") { request, _ in self.respond { try self.events(request) } }
        router.get("/api/status") { request, _ in self.respond { try self.status(request) } }
        // Quiet: the server's own log would mix with the lines `annals serve` prints.
        let logger = Logger(label: "annals-serve") { _ in SwiftLogNoOpLogHandler() }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "annals/\(AnnalsCommand.version)"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? self.port) },
            logger: logger)
    }

    // MARK: Answers

    /// A query answered by its command: the request's parameters become the command's options,
    /// parsed and checked as on the command line, and the answer is what `--format json` prints.
    private func answer<Query: AnsweredQuery>(
        _ query: Query.Type, _ request: Request, parameters: [String], flags: [String] = [], word: String? = nil
    ) throws -> Response {
        let options = try RequestParameters(query: request.uri.query).options(allowed: parameters)
        // After `--`, a name or id that begins with `-` is still the argument, not an option.
        let command = try Self.parse(Query.self, options + flags + (word.map { ["--", $0] } ?? []))
        return json(try command.answer(in: store))
    }

    static func parse<Query: ParsableCommand>(_ query: Query.Type, _ arguments: [String]) throws(RequestProblem) -> Query {
        do {
            return try Query.parse(arguments)
        } catch {
            throw RequestProblem(.badRequest, AnnalsCommand.argumentValueError(in: error)?.description ?? AnnalsCommand.message(for: error))
        }
    }

    /// The timeline the page and its data show: the page's parameters, every version to the head.
    private func history(_ request: Request) throws -> (TimelineHistory, title: String, subtitle: String) {
        let options = try RequestParameters(query: request.uri.query).options(allowed: Self.pageParameters, ignored: Self.pageScriptParameters)
        let query = try Self.parse(TimelineCommand.self, options).query
        let history = try store.timelineHistory(query)
        let (title, subtitle) = TimelinePicture.titles(query, history: history)
        return (history, title, subtitle)
    }

    static let live = TimelinePage.Live(events: "/api/events", data: "/api/page")

    private func page(_ request: Request) throws -> Response {
        let (history, title, subtitle) = try history(request)
        var headers = Self.commonHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = TimelinePage.policy(live: Self.live)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: TimelinePage.html(history, title: title, subtitle: subtitle, live: Self.live))))
    }

    private func pageData(_ request: Request) throws -> Response {
        let (history, title, subtitle) = try history(request)
        return json(TimelinePage.data(history, title: title, subtitle: subtitle, live: Self.live))
    }

    private func index() -> JSONValue {
        .object([
            ("annals", .string(AnnalsCommand.version)),
            ("endpoints", .array(Self.endpoints.map { endpoint in
                .object([("path", .string(endpoint.path)), ("answers", .string(endpoint.command)),
                         ("parameters", .array(endpoint.parameters.map { .string($0) }))])
            })),
        ])
    }

    private func status(_ request: Request) throws -> Response {
        _ = try RequestParameters(query: request.uri.query).options(allowed: [])
        let projections = try store.projections.status()
        return json(.object([
            ("store", .string(store.path)),
            ("head", .integer(try store.log.head())),
            ("projections", .array(projections.map { ProjectionsCommand.json($0, kind: ProjectionsCommand.kind(of: $0.name, in: store)) })),
            ("event_streams", .integer(openStreams.withLock { $0 })),
        ]))
    }

    // MARK: Responses

    static let commonHeaders: HTTPFields = [
        .cacheControl: "no-store",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.commonHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized() + "\n")))
    }

    static func problem(_ problem: RequestProblem) -> Response {
        var headers = commonHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        let body = JSONValue.object([("error", .string(problem.message)), ("status", .integer(Int(problem.status.code)))])
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized() + "\n")))
    }

    /// Runs `body`, answering any failure as a JSON problem with the status that fits it: 400
    /// for a bad parameter, 404 for something the store does not hold, 500 for the store itself.
    private func respond(_ body: () throws -> Response) -> Response {
        do {
            return try body()
        } catch {
            let problem = error as? RequestProblem ?? Self.requestProblem(for: error)
            return Self.problem(RequestProblem(problem.status, Self.parameterWording(problem.message)))
        }
    }

    /// The queries' messages name their options (`--limit needs a positive number`); here they
    /// are parameters, named without the dashes.
    static func parameterWording(_ message: String) -> String {
        var message = message
        for name in Set(endpoints.flatMap(\.parameters)) {
            message = message.replacing("--\(name)", with: name)
        }
        return message
    }

    static func requestProblem(for error: any Error) -> RequestProblem {
        switch StoreAccess.failure(for: error) ?? error {
        case let failure as UsageFailure: RequestProblem(.badRequest, failure.description)
        case let failure as QueryFailure: RequestProblem(.notFound, failure.description)
        case let failure as any CommandFailure: RequestProblem(.internalServerError, failure.description)
        case let failure as ValidationError: RequestProblem(.badRequest, failure.message)
        case let failure as ArgumentValueError: RequestProblem(.badRequest, failure.description)
        case let failure as QueryError:
            switch failure {
            case .unknownActor, .actorNamedLater, .unknownFact, .positionBeyondHead: RequestProblem(.notFound, failure.description)
            case .invalidLimit, .invalidOffset, .emptyPeriod, .sinceAfterUntil: RequestProblem(.badRequest, failure.description)
            }
        case let described as any CustomStringConvertible: RequestProblem(.internalServerError, described.description)
        default: RequestProblem(.internalServerError, String(describing: error))
        }
    }

    /// A path word (`/api/fact/{id}`), percent-decoded.
    static func word(_ name: String, _ context: some RequestContext) throws(RequestProblem) -> String {
        let raw = context.parameters.get(name) ?? ""
        return try RequestParameters.decode(raw[...], plusIsSpace: false, what: "the address's \(name)")
    }
}

extension QueryServer {
    /// Before any route: only GET (and HEAD) are served, only to clients that name this server as
    /// it was bound, and whatever the routes throw (an unknown address) is answered as JSON.
    struct Guard<Context: RequestContext>: RouterMiddleware {
        let allowedHosts: Set<String>?

        /// Whether the server listens on a loopback address, for this machine only.
        var isLoopback: Bool { allowedHosts != nil }

        /// A server on a loopback address answers only requests addressed to loopback names: a web
        /// page elsewhere that points a name of its own at 127.0.0.1 cannot read the store.
        init(host: String) {
            let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"]
            allowedHosts = loopback.contains(host) || host.hasPrefix("127.") ? Set(loopback + [host]) : nil
        }

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            guard request.method == .get || request.method == .head else {
                var response = QueryServer.problem(RequestProblem(.methodNotAllowed, "annals serve only reads: \(request.method.rawValue) is not served, GET is"))
                response.headers[.allow] = "GET, HEAD"
                return response
            }
            if let allowedHosts {
                let authority = request.head.authority ?? ""
                guard allowedHosts.contains(Self.hostName(of: authority)) else {
                    return QueryServer.problem(RequestProblem(.forbidden, "this server answers requests to 127.0.0.1 or localhost, not to \(ArgumentValueError.shown(authority))"))
                }
            }
            do {
                return try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                return QueryServer.problem(RequestProblem(.notFound, "nothing is served at \(request.uri.path); /api lists what is"))
            }
        }

        /// `localhost:8080` → `localhost`, `[::1]:8080` → `[::1]`.
        static func hostName(of authority: String) -> String {
            if authority.hasPrefix("[") { return authority.firstIndex(of: "]").map { String(authority[...$0]) } ?? authority }
            return authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? authority
        }
    }
}
