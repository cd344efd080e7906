import Foundation
import PackagePlugin

/// Compiles the drafter's word lists (`Draft/Lexicon/*.lexicon` in the target) into the target
/// as one generated Swift file, so that the words live in data files people edit while the
/// binary needs nothing beside it at run time.
@main
struct EmbedDraftLexicon: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let lexiconDirectory = module.directoryURL.appending(path: "Draft/Lexicon")
        let inputs = try lexiconFiles(in: lexiconDirectory)
        let output = context.pluginWorkDirectoryURL.appending(path: "DraftLexiconText.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) draft lexicon files",
                executable: try context.tool(named: "embed-lexicon").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func lexiconFiles(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".lexicon") }
            .sorted()
            .map { directory.appending(path: $0) }
    }
}
