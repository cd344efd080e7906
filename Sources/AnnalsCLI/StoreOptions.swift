import AnnalsPlatform
import ArgumentParser

/// The `--store` option every command shares.
public struct StoreOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The store directory.", discussion: "Defaults to $ANNALS_STORE, else ./annals.lmdb.", valueName: "path"))
    public var store: String?

    public init() {}

    /// The store path: the option, else `$ANNALS_STORE`, else `./annals.lmdb`.
    public var path: String {
        if let store { return store }
        if let fromEnvironment = System.environment("ANNALS_STORE"), !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "annals.lmdb"
    }

    public mutating func validate() throws {
        if let store, store.isEmpty { throw ValidationError("--store needs a directory path, got an empty string") }
    }
}
