#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock many readers may hold at once and one writer alone, which also knows how many read
/// holds the calling thread has, so that a thread about to wait for itself can be refused.
///
/// The standard library's `Synchronization` has a mutex but no reader-writer lock, which the
/// LMDB binding needs: every transaction holds the map shared while growing it takes it alone.
/// glibc's default reader-writer lock prefers readers, which makes nested read holds on one
/// thread safe even while another thread waits to write.
public final class ReadWriteLock: @unchecked Sendable {
    // A pthread lock must not move in memory, so it lives in an allocation of its own.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private var depthKey = pthread_key_t()

    public init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
        pthread_key_create(&depthKey, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
        pthread_key_delete(depthKey)
    }

    /// How many read holds the calling thread has.
    public var readDepthOnThisThread: Int {
        Int(bitPattern: pthread_getspecific(depthKey))
    }

    @inline(__always)
    public func lockShared() {
        pthread_rwlock_rdlock(lock)
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: readDepthOnThisThread + 1))
    }

    @inline(__always)
    public func unlockShared() {
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: readDepthOnThisThread - 1))
        pthread_rwlock_unlock(lock)
    }

    public func withExclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
