#ifndef ANNALS_ALLOCATOR_H
#define ANNALS_ALLOCATOR_H

// Any C library header says which library it is.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Tells the C library's allocator to serve blocks below `mmap_threshold` bytes from its heap
/// and to keep up to `trim_threshold` bytes of freed heap instead of returning them to the
/// kernel. Returns 1 when the allocator took both settings, 0 where it has no such settings
/// (any C library but glibc).
static inline int annals_keep_freed_heap(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1;
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}

#endif
