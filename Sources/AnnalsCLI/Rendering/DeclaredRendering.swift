import AnnalsDomain
import AnnalsTimeline
import AnnalsTimelineProjections
import CTextScan

/// How `annals projection show` writes a declared projection's groups — a table, JSON, JSON
/// Lines or CSV, with the same columns in the same order — straight from the store's bytes
/// (``DeclaredGroupView``) into one output buffer: no row or string is made per group, so a
/// thousand groups take about half a millisecond. The text leaves in pieces of about 64 KiB as it is
/// made (a table once its widths are known), so a large answer is never held whole.
///
/// Text from the sources (group values, fact ids, units) is escaped for where it lands: made
/// visible on a terminal (``TerminalText``), quoted and neutralised in CSV (``csvCell(_:)``),
/// escaped in JSON. Plain printable ASCII, which needs none of that, is copied as it is; any
/// other cell goes through those same functions.
struct DeclaredRendering: DeclaredGroupReader, ~Copyable {
    let format: OutputFormat
    /// Where each finished piece of text goes.
    private let write: (UnsafeRawBufferPointer) -> Void
    /// CSV, and a table's rows once the cells' widths are known, not yet handed to `write`.
    private var output: ByteWriter
    /// JSON and JSON Lines not yet handed to `write`.
    private var json: JSONWriter
    /// The size of the pieces the text leaves in.
    private static let piece = 1 << 16
    private var projection: DeclaredProjection?
    /// Each measure, as the groups are read: what it is, where its quantity is, how many ids.
    private var measures: [Measure] = []
    /// Each dimension's name and each measure's column name, made once.
    private var dimensionNames: [String] = []
    private var measureKeys: [String] = []
    private(set) var position: UInt64 = 0
    /// How many groups were read.
    private(set) var groupCount = 0
    /// A table's cells, row after row, each already made visible: their bytes one after
    /// another, and where each ends. A cell takes as many columns on screen as it has bytes,
    /// unless it had to be made visible: those cells' widths are kept by their index.
    private var cells: ByteWriter
    private var cellEnds: [Int] = []
    private var visibleWidths: [Int: Int] = [:]
    /// Where the cell being written began.
    private var cellStart = 0
    /// A date's or an amount's text on its way into JSON.
    private var scratch = ByteWriter(capacity: 64)

    /// A measure as each group's value of it is written.
    private struct Measure {
        let kind: DeclaredDefinition.Measure.Kind
        /// Where its quantity's totals are in a group (sum, min, max and mean).
        let quantity: Int
        let unit: QuantityUnit.DurationUnit?
        /// How many ids are listed (facts).
        let limit: Int
    }

    /// A rendering in `format` that hands its text to `write`, a piece at a time.
    init(format: OutputFormat, write: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.format = format
        self.write = write
        // Only the buffers the format uses get room for a piece; the cells grow with the table.
        let isJSON = format == .json || format == .jsonl
        output = ByteWriter(capacity: isJSON ? 16 : Self.piece + 1024)
        json = JSONWriter(capacity: isJSON ? Self.piece + 1024 : 16)
        // A table of a thousand groups takes about 200 KiB of cells: room for them from the
        // start spares copying them as the buffer grows (pages not written are never touched).
        cells = ByteWriter(capacity: format == .table ? 1 << 18 : 16)
    }

    /// The column names: each dimension, then each measure (`sum_ransom`).
    static func columns(_ definition: DeclaredDefinition) -> [String] {
        definition.groupBy.map(\.description) + definition.measures.map(key)
    }

    /// A measure's column: `count`, `sum_ransom`, `mean_duration_min` (a unit given makes it a
    /// column of its own).
    static func key(_ measure: DeclaredDefinition.Measure) -> String {
        measure.kind.rawValue + (measure.quantity.map { "_" + $0 } ?? "") + (measure.unit.map { "_" + $0.rawValue } ?? "")
    }

    mutating func begin(_ projection: DeclaredProjection, position: UInt64) {
        self.projection = projection
        self.position = position
        let definition = projection.definition
        measures = definition.measures.map { measure in
            Measure(kind: measure.kind, quantity: projection.quantityIndex(of: measure) ?? 0, unit: measure.unit,
                    limit: measure.limit ?? DeclaredDefinition.Measure.defaultFactLimit)
        }
        dimensionNames = definition.groupBy.map(\.description)
        measureKeys = definition.measures.map(Self.key)
        switch format {
        case .json:
            json.raw("{\"projection\":")
            json.string(definition.name)
            json.raw(",\"description\":")
            if let description = definition.description { json.string(description) } else { json.raw("null") }
            json.raw(",\"version\":")
            json.integer(Int64(projection.version))
            json.raw(",\"as_of\":")
            json.integer(position)
            json.raw(",\"group_by\":[")
            for (index, name) in dimensionNames.enumerated() {
                if index > 0 { json.punctuation(",") }
                json.string(name)
            }
            json.raw("],\"measures\":[")
            for (index, key) in measureKeys.enumerated() {
                if index > 0 { json.punctuation(",") }
                json.string(key)
            }
            json.raw("],\"groups\":[")
        case .jsonl:
            break
        case .csv:
            append(Self.columns(definition).map(csvCell).joined(separator: ",") + "\n", to: &output)
        default:
            for column in Self.columns(definition) {
                appendTableCell(String(column.uppercased().map { $0 == "_" ? " " : $0 }))
            }
        }
    }

    mutating func read(_ group: DeclaredGroupView) -> Bool {
        guard projection != nil else { return false }
        groupCount += 1
        switch format {
        case .json, .jsonl:
            if format == .json && groupCount > 1 { json.punctuation(",") }
            appendJSON(group)
            if format == .jsonl { json.punctuation("\n") }
            if json.count >= Self.piece { flushJSON() }
        case .csv:
            var column = 0
            group.forEachValue { value in
                if column > 0 { output.append(UInt8(ascii: ",")) }
                let start = output.count
                output.append(value)
                finishCSVCell(from: start)
                column += 1
            }
            for measure in measures {
                if column > 0 { output.append(UInt8(ascii: ",")) }
                column += 1
                let start = output.count
                Self.appendText(of: measure, in: group, to: &output)
                // A count is digits; anything else may hold a unit or an id from a source.
                if measure.kind != .count { finishCSVCell(from: start) }
            }
            output.append(UInt8(ascii: "\n"))
            flushOutput(atLeast: Self.piece)
        default:
            let firstCell = cellEnds.count
            group.forEachValue { value in
                if value.isEmpty { cells.append("(none)") } else { cells.append(value) }
                cellEnds.append(cells.count)
            }
            for measure in measures {
                Self.appendText(of: measure, in: group, to: &cells)
                cellEnds.append(cells.count)
            }
            finishTableRow(firstCell: firstCell)
        }
        return true
    }

    /// Completes the text and hands the rest of it to `write`: the table with its closing line,
    /// or the end of the JSON.
    mutating func finish() {
        guard let projection else { return }
        switch format {
        case .json:
            json.raw("]}\n")
            flushJSON()
        case .jsonl:
            flushJSON()
        case .csv:
            break
        default:
            writeTable(of: projection.definition)
            append("\(grouped(groupCount)) \(groupCount == 1 ? "group" : "groups"), as of position \(position) (version \(projection.version))\n", to: &output)
        }
        flushOutput(atLeast: 0)
    }

    private mutating func flushJSON() {
        json.withBytes(write)
        json.reset()
    }

    private mutating func flushOutput(atLeast size: Int) {
        guard output.count >= size, output.count > 0 else { return }
        output.withBytes(write)
        output.reset()
    }

    // MARK: Measures

    /// Appends a measure's value as one cell: `3`, `~4400000 USD; 75 BTC`, `2021-05-07`, `..`
    /// (open), `f1, f2 (+3 more)`. Ids and units come from the sources: the caller escapes the
    /// cell for where it lands.
    private static func appendText(of measure: Measure, in group: DeclaredGroupView, to text: inout ByteWriter) {
        switch measure.kind {
        case .count:
            text.integer(UInt64(group.count))
        case .first, .last:
            if !DeclaredProjection.appendDate(measure.kind, of: group, to: &text) { text.append("..") }
        case .facts:
            var listed = 0
            group.forEachFact { id in
                guard listed < measure.limit else { return }
                if listed > 0 { text.append(", ") }
                text.append(id)
                listed += 1
            }
            if group.count > listed {
                text.append(" (+")
                text.integer(UInt64(group.count - listed))
                text.append(" more)")
            }
        case .sum, .min, .max, .mean:
            var first = true
            group.forEachTotal(ofQuantity: measure.quantity) { total in
                let amount = AmountView(total, kind: measure.kind, unit: measure.unit)
                if !first { text.append("; ") }
                first = false
                if amount.isApproximate || amount.isRounded { text.append(UInt8(ascii: "~")) }
                amount.appendValue(to: &text)
                text.append(UInt8(ascii: " "))
                amount.withUnit { text.append($0) }
            }
        }
    }

    private mutating func appendJSON(_ group: DeclaredGroupView) {
        json.raw("{\"group\":{")
        var column = 0
        group.forEachValue { value in
            if column > 0 { json.punctuation(",") }
            json.string(dimensionNames[column])
            json.punctuation(":")
            if value.isEmpty { json.raw("null") } else { json.string(repairing: value) }
            column += 1
        }
        json.punctuation("}")
        for (index, measure) in measures.enumerated() {
            json.punctuation(",")
            json.string(measureKeys[index])
            json.punctuation(":")
            switch measure.kind {
            case .count:
                json.integer(UInt64(group.count))
            case .first, .last:
                scratch.reset()
                if DeclaredProjection.appendDate(measure.kind, of: group, to: &scratch) {
                    scratch.withBytes { json.string(utf8: $0) }
                } else {
                    json.raw("null")
                }
            case .facts:
                var listed = 0
                json.raw("{\"ids\":[")
                group.forEachFact { id in
                    guard listed < measure.limit else { return }
                    if listed > 0 { json.punctuation(",") }
                    json.string(repairing: id)
                    listed += 1
                }
                json.raw("],\"total\":")
                json.integer(UInt64(group.count))
                json.punctuation("}")
            case .sum, .min, .max, .mean:
                var first = true
                json.punctuation("[")
                group.forEachTotal(ofQuantity: measure.quantity) { total in
                    let amount = AmountView(total, kind: measure.kind, unit: measure.unit)
                    if !first { json.punctuation(",") }
                    first = false
                    json.raw("{\"value\":")
                    scratch.reset()
                    amount.appendValue(to: &scratch)
                    scratch.withBytes { json.raw($0) }
                    json.raw(",\"unit\":")
                    amount.withUnit { json.string(repairing: $0) }
                    json.raw(",\"approximate\":")
                    amount.isApproximate ? json.raw("true") : json.raw("false")
                    json.raw(",\"rounded\":")
                    amount.isRounded ? json.raw("true") : json.raw("false")
                    json.raw(",\"facts\":")
                    json.integer(UInt64(amount.count))
                    json.punctuation("}")
                }
                json.punctuation("]")
            }
        }
        json.punctuation("}")
    }

    // MARK: Cells

    /// Whether every byte is printable ASCII, which every format shows as it is.
    private static func isPlainASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        annals_is_printable_ascii(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) != 0
    }

    /// Measures the row whose cells were appended to `cells` from `cellStart`, their ends listed
    /// in `cellEnds` from `firstCell`. A row of printable ASCII, the usual one, is checked in one
    /// pass and each cell is as wide as it is long; any other row is written again a cell at a
    /// time, each made visible and measured.
    private mutating func finishTableRow(firstCell: Int) {
        let rowStart = cellStart
        if Self.isPlainASCII(cells.bytes(from: rowStart)) {
            cellStart = cells.count
            return
        }
        let row = Array(cells.bytes(from: rowStart))
        let ends = cellEnds[firstCell...].map { $0 - rowStart }
        cells.truncate(to: rowStart)
        cellEnds.removeSubrange(firstCell...)
        var start = 0
        row.withUnsafeBytes { row in
            for end in ends {
                cells.append(UnsafeRawBufferPointer(rebasing: row[start..<end]))
                finishTableCell(from: cellStart)
                start = end
            }
        }
    }

    /// Ends the cell whose raw text was appended to `cells` from `start`: plain ASCII stays as
    /// it is, anything else is made visible and measured.
    private mutating func finishTableCell(from start: Int) {
        let text = cells.bytes(from: start)
        if !Self.isPlainASCII(text) {
            let visible = TerminalText.visible(String(decoding: text, as: UTF8.self))
            cells.truncate(to: start)
            append(visible, to: &cells)
            visibleWidths[cellEnds.count] = TerminalText.width(visible)
        }
        cellEnds.append(cells.count)
        cellStart = cells.count
    }

    private mutating func appendTableCell(_ text: String) {
        append(text, to: &cells)
        finishTableCell(from: cellStart)
    }

    /// Ends the CSV cell whose raw text was appended to `output` from `start`: plain ASCII that
    /// ``csvCell(_:)`` would leave alone stays as it is, anything else goes through it.
    private mutating func finishCSVCell(from start: Int) {
        let text = output.bytes(from: start)
        guard !Self.isPlainASCII(text) || Self.csvNeedsAttention(text) else { return }
        let cell = csvCell(String(decoding: text, as: UTF8.self))
        output.truncate(to: start)
        append(cell, to: &output)
    }

    /// Whether ``csvCell(_:)`` would change printable ASCII: a quote or comma, a formula's
    /// first character at the start or after a semicolon.
    private static func csvNeedsAttention(_ bytes: UnsafeRawBufferPointer) -> Bool {
        @inline(__always) func startsFormula(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
        }
        guard let first = bytes.first else { return false }
        if startsFormula(first) { return true }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || (previous == UInt8(ascii: ";") && startsFormula(byte)) { return true }
            previous = byte
        }
        return false
    }

    /// Lays out the cells read, as ``renderTable(_:rightAligned:)`` does: columns as wide as
    /// their widest cell, two spaces apart, counts aligned right, no padding after the last
    /// cell of a left-aligned column.
    private mutating func writeTable(of definition: DeclaredDefinition) {
        let columnCount = definition.groupBy.count + definition.measures.count
        guard columnCount > 0 else { return }
        var rightAligned = [Bool](repeating: false, count: columnCount)
        for (index, measure) in definition.measures.enumerated() where measure.kind == .count {
            rightAligned[definition.groupBy.count + index] = true
        }
        let visibleWidths = visibleWidths
        /// The columns cell number `cell`, ending at `end`, takes on screen.
        func width(ofCell cell: Int, from start: Int, to end: Int) -> Int {
            visibleWidths.isEmpty ? end - start : visibleWidths[cell] ?? end - start
        }
        var widths = [Int](repeating: 0, count: columnCount)
        var column = 0
        var start = 0
        for (cell, end) in cellEnds.enumerated() {
            widths[column] = max(widths[column], width(ofCell: cell, from: start, to: end))
            column = column == columnCount - 1 ? 0 : column + 1
            start = end
        }
        if visibleWidths.isEmpty {
            writeRowsOfPlainCells(widths: widths, rightAligned: rightAligned)
            return
        }
        start = 0
        column = 0
        // The spaces between two cells — the two that part them and the padding of one or the
        // other — are written as one run before the second.
        var spaces = 0
        cells.withBytes { cellBytes in
            for (cell, end) in cellEnds.enumerated() {
                let padding = widths[column] - width(ofCell: cell, from: start, to: end)
                if rightAligned[column] { spaces += padding }
                output.append(repeating: UInt8(ascii: " "), count: spaces)
                output.append(UnsafeRawBufferPointer(rebasing: cellBytes[start..<end]))
                start = end
                if column == columnCount - 1 {
                    output.append(UInt8(ascii: "\n"))
                    if output.count >= Self.piece {
                        output.withBytes(write)
                        output.reset()
                    }
                    spaces = 0
                    column = 0
                } else {
                    spaces = 2 + (rightAligned[column] ? 0 : padding)
                    column += 1
                }
            }
        }
    }
}

extension DeclaredRendering {
    /// Lays out a table whose every cell is as wide as it is long (no cell had to be made
    /// visible): each row is a run of spaces with its cells copied in at their columns' offsets,
    /// one reservation per row rather than two appends per cell.
    fileprivate mutating func writeRowsOfPlainCells(widths: [Int], rightAligned: [Bool]) {
        let columnCount = widths.count
        var offsets = [Int](repeating: 0, count: columnCount)
        for column in 1..<max(columnCount, 1) { offsets[column] = offsets[column - 1] + widths[column - 1] + 2 }
        let lastColumn = columnCount - 1
        let rows = cellEnds.count / columnCount
        cells.withBytes { cellBytes in
            guard let source = cellBytes.baseAddress else { return }
            cellEnds.withUnsafeBufferPointer { ends in
                for row in 0..<rows {
                    let firstCell = row * columnCount
                    let rowStart = firstCell == 0 ? 0 : ends[firstCell - 1]
                    let lastLength = ends[firstCell + lastColumn] - (lastColumn == 0 ? rowStart : ends[firstCell + lastColumn - 1])
                    // A left-aligned last column is not padded after its cell.
                    let length = offsets[lastColumn] + (rightAligned[lastColumn] ? widths[lastColumn] : lastLength)
                    output.appendFilling(length + 1) { line in
                        let target = line.baseAddress!
                        target.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: " "), count: length)
                        var cellStart = rowStart
                        for column in 0..<columnCount {
                            let cellEnd = ends[firstCell + column]
                            let cellLength = cellEnd - cellStart
                            let at = offsets[column] + (rightAligned[column] ? widths[column] - cellLength : 0)
                            ByteWriter.copy(cellLength, from: source + cellStart, to: target + at)
                            cellStart = cellEnd
                        }
                        line[length] = UInt8(ascii: "\n")
                    }
                    if output.count >= Self.piece {
                        output.withBytes(write)
                        output.reset()
                    }
                }
            }
        }
    }
}

/// Appends a string's UTF-8.
private func append(_ text: String, to writer: inout ByteWriter) {
    var text = text
    text.withUTF8 { writer.append($0) }
}
