import AnnalsDomain

/// How each kind of fact is drawn: a shape and a colour, so that a kind reads from its label,
/// its shape and its colour alike. The page and the SVG picture both take their marks from here.
struct KindStyle {
    let kind: FactKind
    /// The mark's outline as SVG path data, centred on (0, 0) and about 2 units across.
    let path: String
    let colour: String

    static let all: [KindStyle] = FactKind.allCases.map { KindStyle(kind: $0, path: path(of: $0), colour: colour(of: $0)) }

    static func of(_ kind: FactKind) -> KindStyle { all.first { $0.kind == kind } ?? all[all.count - 1] }

    private static func path(of kind: FactKind) -> String {
        switch kind {
        case .attack: "M0,-1.2L1.2,0L0,1.2L-1.2,0Z"  // diamond
        case .ransomPayment: "M-1,-1H1V1H-1Z"  // square
        case .shutdown: "M-1.1,-1L1.1,-1L0,1.1Z"  // triangle pointing down
        case .dataTheft: "M-1,-0.35H-0.35V-1H0.35V-0.35H1V0.35H0.35V1H-0.35V0.35H-1Z"  // plus
        case .summit: "M0,-1.2L0.35,-0.4L1.15,-0.35L0.55,0.2L0.75,1L0,0.55L-0.75,1L-0.55,0.2L-1.15,-0.35L-0.35,-0.4Z"  // star
        case .talks: "M-1.1,0A1.1,1.1 0 1,0 1.1,0A1.1,1.1 0 1,0 -1.1,0Z"  // circle
        case .statement: "M-1.1,-0.8H1.1V0.5H0L-0.6,1.1V0.5H-1.1Z"  // speech bubble
        case .agreement: "M-0.55,-1H0.55L1.1,0L0.55,1H-0.55L-1.1,0Z"  // hexagon
        case .denial: "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z"  // cross
        case .accusation: "M0,-1.1L1.1,1L-1.1,1Z"  // triangle pointing up
        case .request: "M-1.1,-1.1L1.1,0L-1.1,1.1Z"  // triangle pointing right
        case .proposal: "M0,-1.15L1.1,-0.35L0.7,1L-0.7,1L-1.1,-0.35Z"  // pentagon
        case .report: "M-0.8,-1.1H0.4L0.9,-0.6V1.1H-0.8Z"  // page
        case .other: "M-0.6,-0.6H0.6V0.6H-0.6Z"  // small square
        }
    }

    /// Colours that stay apart for most kinds of colour blindness (shape and label carry the kind too).
    private static func colour(of kind: FactKind) -> String {
        switch kind {
        case .attack: "#c0392b"
        case .ransomPayment: "#b7791f"
        case .shutdown: "#8e44ad"
        case .dataTheft: "#d35400"
        case .summit: "#1f6feb"
        case .talks: "#0e7c86"
        case .statement: "#2d6a4f"
        case .agreement: "#1a7f37"
        case .denial: "#6e5494"
        case .accusation: "#a4262c"
        case .request: "#3b6ea5"
        case .proposal: "#5a6b00"
        case .report: "#57606a"
        case .other: "#7d7d7d"
        }
    }
}
