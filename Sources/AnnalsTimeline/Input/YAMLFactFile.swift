import AnnalsDomain
import AnnalsTimelineProjections
import Yams

/// A YAML fact file: one article's metadata, the actors it names, its facts, and any
/// corrections and retractions it publishes, next to the article's text (see `docs/INPUT.md`).
enum YAMLFactFile {
    /// Reads and checks the file at `path` (shown as `displayPath` in messages) and returns its
    /// records in order: the article, its actors, facts, corrections, retractions.
    static func records(path: String, displayPath: String) throws(InputError) -> [InputRecord] {
        let text = try InputFile.readText(path: path, displayPath: displayPath, maximumBytes: InputLimits.factFileBytes, what: "a fact file")
        return try records(yaml: text, path: path, displayPath: displayPath) { (textPath, textDisplay) throws(InputError) in
            try InputFile.readText(path: textPath, displayPath: textDisplay, maximumBytes: InputLimits.articleTextBytes, what: "an article text")
        }
    }

    /// Parses a fact file's `text`; `loadText` reads the article text it names (path, display path).
    static func records(yaml text: String, path: String, displayPath: String,
                        loadText: (String, String) throws(InputError) -> String) throws(InputError) -> [InputRecord] {
        let tree = try YAMLDocument.tree(yaml: text, file: displayPath, documents: "fact files", expected: "a fact file")
        return try records(from: tree, path: path, displayPath: displayPath, loadText: loadText)
    }

    private static func records(from tree: InputNode, path: String, displayPath: String,
                                loadText: (String, String) throws(InputError) -> String) throws(InputError) -> [InputRecord] {
        let top = try ObjectReader(tree, file: displayPath, path: "", allowed: ["article", "actors", "facts", "corrections", "retractions"])
        guard let articleNode = top.present("article") else {
            throw InputError(file: displayPath, line: tree.line, field: "article", message: "is missing; a fact file describes one article")
        }
        let articleReader = try ObjectReader(articleNode, file: displayPath, path: "article",
                                             allowed: ["id", "title", "publisher", "published", "url", "text"])
        let textName = try articleReader.optionalString("text", maximumLength: 500) ?? defaultTextName(for: path)
        guard !textName.hasPrefix("/"), !textName.split(separator: "/").contains("..") else {
            throw articleReader.error("text", "\(shown(textName)) must name a file beside the fact file")
        }
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let displayDirectory = displayPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let textPath = directory.isEmpty ? textName : "\(directory)/\(textName)"
        let textDisplay = displayDirectory.isEmpty ? textName : "\(displayDirectory)/\(textName)"
        let articleText = try loadText(textPath, textDisplay)
        let articleLocation = SourceLocation(file: displayPath, line: articleNode.line, path: "article")
        let article = try RecordDecoder.article(articleReader, text: articleText, textField: "article.text", location: articleLocation)
        let folded = FoldedText(articleText)

        var records: [InputRecord] = [.article(article, articleLocation)]
        var actorIDs: Set<String> = []
        for (itemPath, node) in try top.list("actors") {
            let reader = try ObjectReader(node, file: displayPath, path: itemPath, allowed: ["id", "name", "kind", "aliases"])
            let actor = try RecordDecoder.actor(reader, idField: "id")
            guard actorIDs.insert(actor.id).inserted else { throw reader.error("id", "actor \(actor.id) is declared twice in this file") }
            records.append(.actor(actor, SourceLocation(file: displayPath, line: node.line, path: itemPath)))
        }
        var factIDs: Set<String> = []
        for (itemPath, node) in try top.list("facts") {
            let reader = try ObjectReader(node, file: displayPath, path: itemPath, allowed: RecordDecoder.factFields)
            let fact = try RecordDecoder.fact(reader, article: article.id)
            guard factIDs.insert(fact.fact).inserted else { throw reader.error("id", "fact \(fact.fact) is asserted twice in this file") }
            guard folded.contains(fact.quote) else { throw reader.error("quote", QuoteCheck.notFound(fact.quote, in: textDisplay)) }
            records.append(.fact(fact, SourceLocation(file: displayPath, line: node.line, path: itemPath)))
        }
        var corrected: Set<String> = []
        for (itemPath, node) in try top.list("corrections") {
            let reader = try ObjectReader(node, file: displayPath, path: itemPath, allowed: RecordDecoder.correctionFields)
            let correction = try RecordDecoder.correction(reader, article: article.id)
            guard corrected.insert(correction.fact).inserted else { throw reader.error("fact", "fact \(correction.fact) is corrected twice in this file") }
            if let quote = correction.quote, !folded.contains(quote) { throw reader.error("quote", QuoteCheck.notFound(quote, in: textDisplay)) }
            records.append(.correction(correction, SourceLocation(file: displayPath, line: node.line, path: itemPath)))
        }
        var retracted: Set<String> = []
        for (itemPath, node) in try top.list("retractions") {
            let reader = try ObjectReader(node, file: displayPath, path: itemPath, allowed: RecordDecoder.retractionFields)
            let retraction = try RecordDecoder.retraction(reader, article: article.id)
            guard retracted.insert(retraction.fact).inserted else { throw reader.error("fact", "fact \(retraction.fact) is retracted twice in this file") }
            if let quote = retraction.quote, !folded.contains(quote) { throw reader.error("quote", QuoteCheck.notFound(quote, in: textDisplay)) }
            records.append(.retraction(retraction, SourceLocation(file: displayPath, line: node.line, path: itemPath)))
        }
        return records
    }

    /// `seeds/000_reuters.yaml` → `000_reuters.txt`.
    static func defaultTextName(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name.hasSuffix(".yml") ? String(name.dropLast(4)) : name
        return stem + ".txt"
    }
}

/// A YAML document read into an ``InputNode`` tree, with the bounds every input file keeps.
enum YAMLDocument {
    /// Far more than any input file needs; bounds the work a hostile file can cause.
    static let maximumNodes = 200_000
    static let maximumNesting = 32

    /// Parses `text` (from `file`); `documents` names such files in messages ("fact files"),
    /// `expected` says what one holds ("a fact file").
    static func tree(yaml text: String, file: String, documents: String, expected: String) throws(InputError) -> InputNode {
        try precheck(text, file: file, documents: documents)
        let root: Node
        do {
            // UTF-8 stated, so that Yams neither reads YAMS_DEFAULT_ENCODING nor prints about it.
            guard let node = try Yams.compose(yaml: text, .default, .default, .utf8) else {
                throw InputError(file: file, line: nil, field: nil, message: "holds no YAML document; expected \(expected)")
            }
            root = node
        } catch let error as InputError {
            throw error
        } catch {
            throw YAMLSyntax.error(error, text: text, file: file)
        }
        var budget = maximumNodes
        var tree = InputTreeBuilder()
        let content = try convert(root, file: file, documents: documents, budget: &budget, into: &tree)
        return tree.root(content, line: startLine(of: root))
    }

    /// Looks over the text before the YAML parser does: refuses nesting far beyond what a fact
    /// file uses (the parser recurses into it), any anchor (`&`) or alias (`*`) at the start of
    /// a value, which could make a small file expand enormously, and more values than
    /// ``maximumNodes``, counted from the marks that each start at least one (a `key:` in block
    /// context, a `- ` item, a `[` or `{`, a `,` in flow context), so the parser is never asked
    /// to build millions of nodes only for them to be refused.
    private static func precheck(_ text: String, file: String, documents: String) throws(InputError) {
        let nestingError = { (line: Int) in
            InputError(file: file, line: line, field: nil, message: "is nested more than \(maximumNesting) levels deep; \(documents) need far fewer")
        }
        let tooManyError = { (line: Int) in
            InputError(file: file, line: line, field: nil, message: "expands to more than \(maximumNodes) values; \(documents) need far fewer")
        }
        var depth = 0
        var values = 0
        var afterKeyColon = false
        var line = 1
        var indentation = 0
        var inIndentation = true
        var quote: UInt8?
        // In a double-quoted scalar: the byte before was a backslash that escapes this one.
        var escaped = false
        // In a single-quoted scalar: the byte before was a `'`, which closes it unless this
        // byte is another (`''` is a quote inside the text).
        var quoteMayClose = false
        var inComment = false
        var atValueStart = true
        var previous: UInt8 = UInt8(ascii: "\n")
        for byte in text.utf8 {
            defer { previous = byte }
            if quoteMayClose {
                quoteMayClose = false
                if byte == UInt8(ascii: "'") { continue }
                quote = nil
            }
            if afterKeyColon {
                afterKeyColon = false
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    values += 1
                    if values > maximumNodes { throw tooManyError(line) }
                }
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                indentation = 0
                inIndentation = true
                inComment = false
                atValueStart = true
                escaped = false
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }  // quoted scalars may span lines
                quote = nil
                continue
            }
            if inComment { continue }
            if let open = quote {
                if open == UInt8(ascii: "'") {
                    if byte == open { quoteMayClose = true }
                } else if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == open {
                    quote = nil
                }
                continue
            }
            if inIndentation {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                    if byte == UInt8(ascii: "-") {
                        values += 1
                        if values > maximumNodes { throw tooManyError(line) }
                    }
                    indentation += 1
                    if indentation > maximumNesting * 4 { throw nestingError(line) }
                    continue
                }
                inIndentation = false
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { continue }
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "*"), atValueStart {
                let symbol = byte == UInt8(ascii: "&") ? "anchor (&)" : "alias (*)"
                throw InputError(file: file, line: line, field: nil, message: "uses a YAML \(symbol); anchors and aliases are not allowed in \(documents)")
            }
            if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\n") {
                inComment = true
                continue
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), atValueStart {
                quote = byte
                atValueStart = false
                continue
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                depth += 1
                if depth > maximumNesting { throw nestingError(line) }
                values += 1
                if values > maximumNodes { throw tooManyError(line) }
                atValueStart = true
                continue
            }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == UInt8(ascii: ":") || (byte == UInt8(ascii: ",") && depth > 0) {
                // In flow context each comma starts an entry; in block context each key does.
                if byte == UInt8(ascii: ",") {
                    values += 1
                    if values > maximumNodes { throw tooManyError(line) }
                } else if depth == 0 {
                    afterKeyColon = true
                }
                atValueStart = true
                continue
            }
            atValueStart = false
        }
    }

    /// The line `node` starts on (0 when Yams gives none).
    private static func startLine(of node: Node) -> Int { (node.mark?.line).map { $0 } ?? 0 }

    /// Adds `node`'s children, and theirs, to `tree`; returns the node's own content.
    private static func convert(_ node: Node, file: String, documents: String, budget: inout Int,
                                into tree: inout InputTreeBuilder) throws(InputError) -> InputNodeStorage.Content {
        budget -= 1
        let line = startLine(of: node)
        guard budget >= 0 else {
            throw InputError(file: file, line: line, field: nil, message: "expands to more than \(maximumNodes) values; \(documents) need far fewer")
        }
        if node.anchor != nil {
            throw InputError(file: file, line: line, field: nil, message: "uses a YAML anchor (&); anchors and aliases are not allowed in \(documents)")
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, quoted: scalar.style != .plain)
        case .sequence(let sequence):
            let elements = tree.mark
            for element in sequence {
                let content = try convert(element, file: file, documents: documents, budget: &budget, into: &tree)
                tree.add(key: "", content, line: startLine(of: element))
            }
            return .array(tree.close(from: elements))
        case .mapping(let mapping):
            let members = tree.mark
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw InputError(file: file, line: (key.mark?.line).map { $0 } ?? line, field: nil, message: "has a key that is a list or a mapping; keys are field names")
                }
                let content = try convert(value, file: file, documents: documents, budget: &budget, into: &tree)
                tree.add(key: keyScalar.string, content, line: startLine(of: value))
            }
            return .object(tree.close(from: members))
        case .alias:
            throw InputError(file: file, line: line, field: nil, message: "uses a YAML alias (*); anchors and aliases are not allowed in \(documents)")
        }
    }
}

enum QuoteCheck {
    /// Why a quote is refused: it is not in the article. A character in it that does not
    /// show (U+200B, U+202E, a soft hyphen …) is the likeliest reason, so the first is named.
    static func notFound(_ quote: String, in textFile: String) -> String {
        var message = "\(shown(quote)) does not occur in \(textFile)"
        if let invisible = firstInvisibleCharacter(in: quote) {
            message += "; it holds an invisible character, \(invisible.name), at character \(invisible.position)"
        }
        return message + "; quotes must be verbatim (only whitespace may differ)"
    }
}
