#ifndef ANNALS_SHA256_H
#define ANNALS_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// Writes the SHA-256 digest of `first_count` bytes at `first` followed by `second_count` bytes
/// at `second` (either may be empty, and its pointer then NULL) to the 32 bytes at `digest`.
void annals_sha256(const void *first, size_t first_count, const void *second, size_t second_count, void *digest);

#endif
