import Dispatch

extension DispatchQueue {
    /// A serial queue of its own, for work a test then waits on (a writer beside a reader, a
    /// pipe drained beside another, a watchdog). Such a queue is given a thread even when every
    /// thread of the shared pool is busy, while work sent to `DispatchQueue.global()` can wait
    /// for one to come free: with the suite's tests in parallel on a loaded two-core machine, a
    /// follower test waited past its two-minute limit for its writer to start.
    public static func dedicated(_ label: String) -> DispatchQueue { DispatchQueue(label: label) }
}
