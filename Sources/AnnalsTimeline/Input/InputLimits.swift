import AnnalsDomain
import AnnalsTimelineProjections

/// The limits ingestion holds every input to, refused with one line naming the file, line and
/// field. Real news never comes near them; they exist so that no input, however hostile, can
/// make a check, an event or a projection's work grow without bound. `docs/INPUT.md` lists them.
public enum InputLimits {
    /// Actors one fact (or one correction's `actors`) names. Each version of the fact's row
    /// lists them all and each files the fact under every one of them, so a fact's indexing
    /// grows with its actors; a thousand take milliseconds.
    public static let actorsPerFact = 1_000
    /// Quantities one fact (or one correction's `quantities`) gives.
    public static let quantitiesPerFact = 100
    /// Names one actor goes by in the store: its display name and aliases together.
    public static let namesPerActor = 1_000
    /// Bytes of one JSON Lines line.
    public static let lineBytes = 16 << 20
    /// Bytes of one YAML fact file.
    public static let factFileBytes = 16 << 20
    /// Bytes of one article's text, in its own file or inline in JSON Lines.
    public static let articleTextBytes = 4 << 20
    /// LMDB's longest key, as Debian's liblmdb is built (`mdb_env_get_maxkeysize`): every key a
    /// built-in projection derives from input must fit it.
    public static let keyBytes = 511
}
