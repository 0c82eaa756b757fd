#pragma once
// HugePageAllocator: a std::allocator for the BGP engine's large flat arrays (per-(session, prefix)
// rows, session states: tens of MB on the Internet graph, read at random). Blocks of 2 MiB and more
// are 2 MiB-aligned and marked MADV_HUGEPAGE, so that where the kernel offers transparent huge
// pages on request ("madvise", a common default) one TLB entry covers 2 MiB instead of 4 KiB: a
// random read of a 40 MB array then mostly costs its cache miss, not a page walk as well. Smaller
// blocks, and systems without madvise, get the ordinary allocator. Contents and results are the same.
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace outagesim::bgp {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t(2) << 20;

  HugePageAllocator() noexcept = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, rounded, MADV_HUGEPAGE); // advice only: ignored where huge pages are off
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugePage)
      std::allocator<T>().deallocate(p, n);
    else
      std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept {
    return false;
  }
};

/// A vector whose storage of 2 MiB and more may sit on transparent huge pages.
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

} // namespace outagesim::bgp
