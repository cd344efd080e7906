import AnnalsDomain

/// Writes a draft as a YAML fact file (docs/INPUT.md): every text value quoted, so nothing an
/// article says is read as YAML syntax.
enum DraftYAML {
    static func write(articleID: String, publication: Drafter.Publication, options: DraftOptions,
                      actors: [DraftActor], facts: [DraftFact], tooLongLines: [Int] = []) -> String {
        var out = """
        # A DRAFT written by `annals draft` from \(comment(options.textName)). Review it before ingesting:
        # kinds, dates, actors and quantities are read from the wording, and each fact says what it
        # was drafted from and how sure the drafter is. Quotes are the article's own words.
        # Lines marked REVIEW give no date of their own and are bounded by the publication date.

        """
        if !tooLongLines.isEmpty {
            let shown = tooLongLines.prefix(10).map(String.init).joined(separator: ", ")
            let more = tooLongLines.count > 10 ? " and \(tooLongLines.count - 10) more" : ""
            out += "# REVIEW: not drafted, a sentence longer than \(DraftText.maximumSentenceTokens) words and marks on line "
                + "\(shown)\(more); read it yourself.\n\n"
        }
        out += """
        article:
          id: \(articleID)

        """
        if let title = publication.title {
            out += "  title: \(quoted(String(title.prefix(300))))"
            out += publication.titleSource == "--title" ? "\n" : "   # from \(publication.titleSource)\n"
        } else {
            out += "  title: \(quoted("Untitled"))   # REVIEW: the text has no headline; give --title\n"
        }
        if let publisher = publication.publisher {
            out += "  publisher: \(quoted(String(publisher.prefix(200))))"
            out += publication.publisherSource == "--publisher" ? "\n" : "   # from \(publication.publisherSource)\n"
        } else {
            out += "  publisher: \(quoted("unknown"))   # REVIEW: the text does not say who published it; give --publisher\n"
        }
        if let day = publication.day {
            out += "  published: \(day.edtf)"
            let year = publication.yearSource.map { "; \($0)" } ?? ""
            if publication.isGuessed {
                out += "   # REVIEW: the text gives no publication date; this is \(publication.dateSource)\(year)\n"
            } else if publication.yearSource != nil {
                out += "   # REVIEW: from \(publication.dateSource)\(year)\n"
            } else {
                out += publication.dateSource == "--published" ? "\n" : "   # from \(publication.dateSource)\n"
            }
        }
        out += "  text: \(quoted(options.textName))\n"

        let used = Set(facts.flatMap { $0.actors.map(\.actor) })
        let declaredUsed = actors.indices.filter { used.contains($0) && !actors[$0].isKnown }
        if !declaredUsed.isEmpty {
            out += "\nactors:\n"
            for index in declaredUsed {
                let actor = actors[index]
                out += "  - id: \(actor.id)   # proposed: \(actor.kind.rawValue), from \(actor.kindReason)\n"
                out += "    name: \(quoted(actor.name))\n"
                out += "    kind: \(actor.kind.rawValue)\n"
                let aliases = actor.aliases.filter { ActorName.key($0) != ActorName.key(actor.name) && $0.count <= ActorName.maximumLength }
                if !aliases.isEmpty { out += "    aliases: [\(aliases.map(quoted).joined(separator: ", "))]\n" }
            }
        }
        out += facts.isEmpty ? "\nfacts: []\n" : "\nfacts:\n"
        for fact in facts {
            out += "  # \(comment(fact.note))\n"
            out += "  - id: \(fact.id)\n"
            out += "    kind: \(fact.kind.rawValue)\n"
            out += "    when: \(fact.when.edtf)\n"
            if let said = fact.said { out += "    said: \(quoted(said))\n" }
            out += "    summary: \(quoted(fact.summary))\n"
            if !fact.actors.isEmpty {
                out += "    actors:\n"
                for (actor, role) in fact.actors { out += "      - { actor: \(actors[actor].id), role: \(role.rawValue) }\n" }
            }
            if !fact.quantities.isEmpty {
                out += "    quantities:\n"
                for quantity in fact.quantities.prefix(100) {
                    out += "      - { name: \(quantity.name), value: \(quoted(quantity.value)), unit: \(quoted(quantity.unit))"
                    out += quantity.approximate ? ", approximate: true }\n" : " }\n"
                }
            }
            out += "    quote: \(quoted(fact.quote))\n"
        }
        return out
    }

    /// A YAML scalar nothing in it can break out of: single-quoted with `'` doubled, or
    /// double-quoted with escapes when the text holds invisible characters.
    static func quoted(_ text: String) -> String {
        // Text with characters that show nothing or pretend to be others (a right-to-left
        // override, a zero-width space, a line break) is written with escapes, so that the
        // file read on a terminal shows them for what they are and YAML still reads them back.
        guard text.unicodeScalars.contains(where: isInvisible) else { return "'" + text.replacingQuote() + "'" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where isInvisible(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += scalar.value > 0xFFFF ? "\\U" + hex.leftPadded(to: 8) : "\\u" + hex.leftPadded(to: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Text for a comment: on one line, each invisible character shown as its code point (`<U+202E>`).
    static func comment(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                result += "<U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

private extension String {
    func replacingQuote() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == "'" { result += "''" } else { result.append(character) }
        }
        return result
    }
}
