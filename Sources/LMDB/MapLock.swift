#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the memory map still while transactions use it.
///
/// LMDB may only resize the map when no transaction of this process is active, because resizing
/// unmaps and remaps the file under every pointer a transaction holds. Each transaction holds the
/// lock shared; growing the map takes it exclusively. The lock also counts, per thread, how many
/// shared holds the thread has, so that a thread that would wait for itself can be refused
/// instead of deadlocking.
final class MapLock: @unchecked Sendable {
    // A pthread rwlock must not move in memory, so it lives in its own allocation.
    private let rwlock: UnsafeMutablePointer<pthread_rwlock_t>
    private var depthKey = pthread_key_t()

    init() {
        rwlock = .allocate(capacity: 1)
        // glibc's default rwlock prefers readers, which makes nested shared holds on one thread
        // safe even while another thread waits to grow the map.
        pthread_rwlock_init(rwlock, nil)
        pthread_key_create(&depthKey, nil)
    }

    deinit {
        pthread_rwlock_destroy(rwlock)
        rwlock.deallocate()
        pthread_key_delete(depthKey)
    }

    /// How many shared holds the calling thread has.
    var sharedDepthOnThisThread: Int {
        Int(bitPattern: pthread_getspecific(depthKey))
    }

    @inline(__always)
    func lockShared() {
        pthread_rwlock_rdlock(rwlock)
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: sharedDepthOnThisThread + 1))
    }

    @inline(__always)
    func unlockShared() {
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: sharedDepthOnThisThread - 1))
        pthread_rwlock_unlock(rwlock)
    }

    func withExclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(rwlock)
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }
}
