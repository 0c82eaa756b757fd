#pragma once
// HugePageAllocator: a std::allocator for the BGP engine's large flat arrays (per-(session, prefix)
// rows, session states: tens of MB on the Internet graph, read at random). Blocks of 2 MiB and more
// are mapped 2 MiB-aligned and marked MADV_HUGEPAGE, so that where the kernel offers transparent huge
// pages on request ("madvise", a common default) one TLB entry covers 2 MiB instead of 4 KiB: a
// random read of a 40 MB array then mostly costs its cache miss, not a page walk as well. Smaller
// blocks, and systems without madvise, get the ordinary allocator. Contents and results are the same.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace outagesim::bgp {

template <class T> struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t(2) << 20;
  static constexpr std::size_t round_up(std::size_t bytes) {
    return (bytes + kHugePage - 1) & ~(kHugePage - 1);
  }

  HugePageAllocator() noexcept = default;
  template <class U> HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kHugePage) {
      // Mapped here, not by malloc: aligned to 2 MiB, and given back to the system when freed.
      const std::size_t rounded = round_up(bytes);
      void* m =
          ::mmap(nullptr, rounded + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m == MAP_FAILED) throw std::bad_alloc();
      const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(m);
      const std::uintptr_t aligned = (start + kHugePage - 1) & ~std::uintptr_t(kHugePage - 1);
      const std::size_t head = aligned - start, tail = kHugePage - head; // the parts unused
      if (head) ::munmap(m, head);
      if (tail) ::munmap(reinterpret_cast<void*>(aligned + rounded), tail);
      ::madvise(reinterpret_cast<void*>(aligned), rounded, MADV_HUGEPAGE); // advice: ignored where off
      return reinterpret_cast<T*>(aligned);
    }
#endif
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n * sizeof(T) >= kHugePage) {
      ::munmap(p, round_up(n * sizeof(T)));
      return;
    }
#endif
    std::allocator<T>().deallocate(p, n);
  }
  template <class U> bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
  template <class U> bool operator!=(const HugePageAllocator<U>&) const noexcept {
    return false;
  }
};

/// A vector whose storage of 2 MiB and more may sit on transparent huge pages.
template <class T> using HugeVector = std::vector<T, HugePageAllocator<T>>;

} // namespace outagesim::bgp
