import AnnalsPlatform
import AnnalsTimeline
import ArgumentParser
import Dispatch
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `annals serve`
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the timeline page live, the queries as JSON and a stream of appended events, over HTTP; never writes.",
        discussion: "Open the address it prints. /api lists the JSON addresses; their parameters are the queries' options. SIGINT (Ctrl-C) or SIGTERM stops it.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("The address to listen on (default 127.0.0.1: this machine only).", valueName: "address"))
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: ArgumentHelp("The port to listen on (default 8080; 0 picks a free one).", valueName: "port"),
            transform: ArgumentValue.port("--port"))
    var port = 8080

    /// How long a stop waits for open requests and event streams to end before it ends them.
    static let stopGrace: Duration = .seconds(3)

    func validate() throws {
        if host.isEmpty || host.allSatisfy(\.isWhitespace) { throw ValidationError("--host needs an address to listen on, got \(ArgumentValueError.shown(host))") }
    }

    func run() throws {
        // Read-only: the server never writes, even to bring projections up to date.
        let store = try StoreAccess.openForReading(storeOptions)
        let console = Console.current
        if try !store.projectionsAreCurrent() {
            console.message("annals: note: the projections lag the log; answers stop where they do until an ingest or a query brings them up to date")
        }
        let server = QueryServer(store: store, host: host, port: port)
        let host = host, path = store.path
        let isLoopback = QueryServer.Guard<BasicRequestContext>(host: host).isLoopback
        let application = server.application { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            console.line(TerminalText.visible("serving \(path) at http://\(shown):\(port)/ (read-only; Ctrl-C stops)"))
            console.flush()
            if !isLoopback {
                console.message("annals: note: listening on \(host): anyone who can reach this machine there can read the store")
            }
        }
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: application)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "annals-serve") { _ in SwiftLogNoOpLogHandler() })
        configuration.maximumGracefulShutdownDuration = Self.stopGrace
        let group = ServiceGroup(configuration: configuration)
        do {
            try waitFor { try await group.run() }
        } catch {
            throw Self.failure(for: error, host: host, port: port) ?? error
        }
        console.line("stopped")
    }

    /// Why the server could not listen, in words: the port taken, the address not this
    /// machine's, a port that needs privileges.
    static func failure(for error: any Error, host: String, port: Int) -> StoreFailure? {
        switch error {
        case let error as IOError where error.errnoCode == Errno.addressInUse.code:
            return StoreFailure("port \(port) on \(host) is already in use (another `annals serve`?); choose another with --port")
        case let error as IOError where error.errnoCode == Errno.addressNotAvailable.code:
            return StoreFailure("cannot listen on \(host): no network interface of this machine has that address")
        case let error as IOError where error.errnoCode == Errno.accessDenied.code || error.errnoCode == Errno.notPermitted.code:
            return StoreFailure("may not listen on port \(port): ports below 1024 need privileges; choose one from 1024 up with --port")
        case is SocketAddressError.UnknownHost:
            return StoreFailure("cannot listen on \(ArgumentValueError.shown(host)): it is not an address or a name this machine resolves")
        default:
            return nil
        }
    }

    /// Runs `body` to its end from this synchronous command, on the concurrency runtime's threads.
    private func waitFor(_ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Mutex<Result<Void, any Error>>(.success(()))
        let finished = DispatchSemaphore(value: 0)
        Task {
            do { try await body() } catch { outcome.withLock { $0 = .failure(error) } }
            finished.signal()
        }
        finished.wait()
        try outcome.withLock { $0 }.get()
    }
}
