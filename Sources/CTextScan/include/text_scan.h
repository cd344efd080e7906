#ifndef ANNALS_TEXT_SCAN_H
#define ANNALS_TEXT_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__SSE2__)
/// One bit per byte of `chunk` that a JSON string cannot hold as it is. Compared as signed
/// bytes, everything from 0x80 up is negative, so below the space too: one comparison finds
/// control characters and bytes that are not ASCII.
static inline unsigned annals_json_special_mask(__m128i chunk) {
    const __m128i special = _mm_or_si128(_mm_cmplt_epi8(chunk, _mm_set1_epi8(0x20)),
                                         _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')),
                                                      _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(special);
}

/// The `count` bytes (fewer than sixteen) as one step, padded with spaces, which every scan
/// here takes as plain.
static inline __m128i annals_load_short(const uint8_t *bytes, size_t count) {
    uint8_t padded[16];
    memset(padded, ' ', sizeof padded);
    memcpy(padded, bytes, count);
    return _mm_loadu_si128((const __m128i *)(const void *)padded);
}

/// One bit per byte of `chunk` that is not printable ASCII: a control character, DEL, or not
/// ASCII (negative as a signed byte, so below the space).
static inline unsigned annals_unprintable_mask(__m128i chunk) {
    const __m128i unprintable = _mm_or_si128(_mm_cmplt_epi8(chunk, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(chunk, _mm_set1_epi8(0x7F)));
    return (unsigned)_mm_movemask_epi8(unprintable);
}
#endif

#if defined(__SSE2__)
/// The length of the longest prefix of `bytes` (`count` of them) in which `marks` finds no
/// byte: sixteen bytes per step, the last few in one step as well (most texts are short).
/// Inlined with `marks` known, so each scan below compiles to its own loop.
static inline size_t annals_unmarked_prefix(const uint8_t *bytes, size_t count, unsigned (*marks)(__m128i)) {
    size_t index = 0;
    for (; index + 16 <= count; index += 16) {
        const unsigned mask = marks(_mm_loadu_si128((const __m128i *)(const void *)(bytes + index)));
        if (mask != 0) return index + (size_t)__builtin_ctz(mask);
    }
    if (index == count) return count;
    if (count >= 16) {
        // The last sixteen bytes, overlapping ones already found unmarked.
        const unsigned mask = marks(_mm_loadu_si128((const __m128i *)(const void *)(bytes + count - 16)));
        return mask != 0 ? count - 16 + (size_t)__builtin_ctz(mask) : count;
    }
    // A short text, padded with spaces (which no scan marks) to one step.
    const unsigned mask = marks(annals_load_short(bytes, count));
    return mask != 0 ? (size_t)__builtin_ctz(mask) : count;
}
#endif

/// The length of the longest prefix of `bytes` (`count` of them) that is printable ASCII (0x20
/// to 0x7E): where a check of text for control characters has something to look at.
static inline size_t annals_printable_prefix(const uint8_t *bytes, size_t count) {
#if defined(__SSE2__)
    return annals_unmarked_prefix(bytes, count, annals_unprintable_mask);
#else
    size_t index = 0;
    for (; index < count; index++) {
        if (bytes[index] < 0x20 || bytes[index] >= 0x7F) return index;
    }
    return count;
#endif
}

/// Whether all `count` bytes are printable ASCII (0x20 to 0x7E), which every output format
/// shows as it is.
static inline int annals_is_printable_ascii(const uint8_t *bytes, size_t count) {
    return annals_printable_prefix(bytes, count) == count;
}

/// The length of the longest prefix of `bytes` (`count` of them) that a JSON string holds as it
/// is: printable ASCII other than the quote and the backslash (export spends a quarter of its
/// instructions here otherwise, most strings being short).
static inline size_t annals_json_plain_prefix(const uint8_t *bytes, size_t count) {
#if defined(__SSE2__)
    return annals_unmarked_prefix(bytes, count, annals_json_special_mask);
#else
    size_t index = 0;
    for (; index < count; index++) {
        const uint8_t byte = bytes[index];
        if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') return index;
    }
    return count;
#endif
}

#endif
