import AnnalsPlatform
import Testing

/// The allocator setting the `annals` executable makes at start.
@Suite struct MemoryTests {
    /// glibc takes both thresholds: one it refuses (an mmap threshold past its 32 MiB ceiling,
    /// say) would leave freed pages going back to the kernel, and this false.
    @Test func theAllocatorTakesTheSettingToKeepFreedMemory() {
        #if canImport(Glibc)
        #expect(Memory.keepFreedHeapForReuse())
        #endif
    }
}
