/// Renders rows as an aligned text table: the first row is the header; columns listed in
/// `rightAligned` (numbers) are aligned right. Cells are made visible (``TerminalText``) and
/// measured in the columns they take on screen, so hidden characters can neither reorder a
/// row nor shift its columns.
func renderTable(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    guard let header = rows.first else { return "" }
    let shown = rows.map { $0.map { cell in
        let visible = TerminalText.visible(cell)
        return (text: visible, width: TerminalText.width(visible))
    } }
    var widths = Array(repeating: 0, count: header.count)
    for row in shown {
        for (column, cell) in row.enumerated() where column < widths.count {
            widths[column] = max(widths[column], cell.width)
        }
    }
    var text = ""
    for row in shown {
        var cells: [String] = []
        for (column, cell) in row.enumerated() {
            let padding = String(repeating: " ", count: max(0, (column < widths.count ? widths[column] : 0) - cell.width))
            let isLast = column == row.count - 1
            if rightAligned.contains(column) {
                cells.append(padding + cell.text)
            } else {
                cells.append(isLast ? cell.text : cell.text + padding)
            }
        }
        text += cells.joined(separator: "  ") + "\n"
    }
    return text
}

/// A byte count in the largest binary unit that keeps it at least 1: `812 B`, `3.2 MiB`.
func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let rounded = (value * 10).rounded() / 10
    return "\(rounded) \(units[unit])"
}

/// Shortens `text` to at most `width` columns, ending with an ellipsis when cut; line breaks
/// read as spaces and every other hidden character is made visible (``TerminalText``).
func truncate(_ text: String, _ width: Int) -> String {
    let single = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        .joined(separator: " ")
    return TerminalText.truncated(single, to: width)
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180), and
/// neutralised when a spreadsheet would read it as a formula.
///
/// A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
/// Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`), so a hostile
/// summary could execute in an analyst's spreadsheet. As OWASP recommends, such a cell gets a
/// single quote in front (`'=1+2`), which spreadsheets show as text, and is quoted. A cell
/// with one of those characters right after a semicolon is quoted too: spreadsheets in many
/// locales split CSV at semicolons, and `a;=1+2` would otherwise begin a cell with a formula.
func csvCell(_ text: String) -> String {
    let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    var text = text
    var mustQuote = false
    if let first = text.unicodeScalars.first, formulaStarts.contains(first) {
        text = "'" + text
        mustQuote = true
    }
    var previous: Unicode.Scalar?
    for scalar in text.unicodeScalars {
        if scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
            || (previous == ";" && formulaStarts.contains(scalar)) {
            mustQuote = true
            break
        }
        previous = scalar
    }
    guard mustQuote else { return text }
    var quoted = "\""
    for character in text {
        quoted.append(character)
        if character == "\"" { quoted.append("\"") }
    }
    return quoted + "\""
}
