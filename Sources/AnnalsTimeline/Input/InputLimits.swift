/// The limits ingestion holds every input to, refused with one line naming the file, line and
/// field. Real news never comes near them; they exist so that no input, however hostile, can
/// make a check, an event or a projection's work grow without bound. `docs/INPUT.md` lists them.
public enum InputLimits {
    /// Names one actor goes by in the store: its display name and aliases together.
    public static let namesPerActor = 1_000
    /// LMDB's longest key, as Debian's liblmdb is built (`mdb_env_get_maxkeysize`): every key a
    /// built-in projection derives from input must fit it.
    public static let keyBytes = 511
}
