#pragma once
// DatedQueue: the BGP engine's event queue. It pops events in exactly the order a binary heap over
// all of them would (by the engine's comparison: date, then sequence number), but keeps most events
// out of any heap, so that a pop does not walk a heap of a million events whose lower levels miss
// the cache (the withdrawal on CAIDA's graph holds every armed MRAI timer, ~30 s ahead, at once).
//
//   near_  the current bucket cur_, sorted once when it became current, read front to back
//   late_  binary heap: events pushed into the current bucket (or before it) after that
//   ring_  kRing buckets after the current one, each an unsorted vector (a push appends)
//   far_   binary heap: events dated beyond the ring (rare: inputs far ahead, MRAI above a minute)
//
//   dates:  ... [  cur_   ] [cur_+1] ... [cur_+kRing-1] [cur_+kRing ...
//                near_+late_ '--------- ring_ --------'  '-- far_ --
//
// A bucket spans 1/64 s, a power of two, so bucket(date) = floor(date * 64) is exact and monotone:
// the buckets partition the dates, and every event of near_ and late_ precedes every event of ring_
// and far_. When both are used up, the next non-empty bucket becomes near_ and the far_ events that
// enter the ring's range move into it. Only events of one bucket are ever compared, by the same
// comparison as before: the order is the same, ties included.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace outagesim::bgp {

/// Priority queue of events with a `double time` member (seconds, >= 0), ordered by `Later` (a
/// strict "x comes after y" that orders dates first), for dates pushed no earlier than the last
/// popped one.
template <class Event, class Later> class DatedQueue {
public:
  DatedQueue() : ring_(kRing) {}
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  /// The first event (not empty()).
  const Event& top() const { return from_late() ? late_.front() : near_[pos_]; }

  void push(const Event& e) {
    const std::int64_t b = bucket(e.time);
    if (size_++ == 0) cur_ = b; // empty: the ring starts at this event's bucket
    if (b <= cur_) {
      late_.push_back(e);
      std::push_heap(late_.begin(), late_.end(), later_);
    } else if (b - cur_ < kRing) {
      ring_[static_cast<std::size_t>(b) & kMask].push_back(e);
      ++in_ring_;
    } else {
      far_.push_back(e);
      std::push_heap(far_.begin(), far_.end(), later_);
    }
  }

  /// Removes the first event (not empty()).
  void pop() {
    if (from_late()) {
      std::pop_heap(late_.begin(), late_.end(), later_);
      late_.pop_back();
    } else {
      ++pos_;
    }
    if (--size_ != 0 && pos_ == near_.size() && late_.empty()) advance();
  }

private:
  static constexpr std::int64_t kRing = 4096; // buckets in the ring (a power of two)
  static constexpr std::size_t kMask = kRing - 1;
  static constexpr double kPerSecond = 64;         // buckets per second: 1/64 s each, 64 s of ring
  static constexpr std::int64_t kLast = 1ll << 52; // the bucket of dates beyond ~2.2e3 years, +inf

  static std::int64_t bucket(double time) {
    const double x = time * kPerSecond; // exact: a power of two
    return x < static_cast<double>(kLast) ? static_cast<std::int64_t>(x) : kLast;
  }
  // Whether the first event is late_'s (pushed into the current bucket after it was sorted).
  bool from_late() const {
    if (late_.empty()) return false;
    return pos_ == near_.size() || later_(near_[pos_], late_.front());
  }

  // The current bucket is used up, other events are left: the next non-empty bucket, sorted,
  // becomes the current one.
  void advance() {
    std::int64_t next;
    if (in_ring_ == 0) {
      next = bucket(far_.front().time);
    } else {
      next = cur_ + 1;
      while (ring_[static_cast<std::size_t>(next) & kMask].empty())
        ++next;
    }
    cur_ = next;
    pos_ = 0;
    near_.swap(ring_[static_cast<std::size_t>(next) & kMask]);
    std::vector<Event>().swap(ring_[static_cast<std::size_t>(next) & kMask]); // no idle storage
    in_ring_ -= near_.size();
    while (!far_.empty() && bucket(far_.front().time) - cur_ < kRing) {
      const Event e = far_.front();
      std::pop_heap(far_.begin(), far_.end(), later_);
      far_.pop_back();
      const std::int64_t fb = bucket(e.time);
      if (fb <= cur_) {
        near_.push_back(e);
      } else {
        ring_[static_cast<std::size_t>(fb) & kMask].push_back(e);
        ++in_ring_;
      }
    }
    std::sort(near_.begin(), near_.end(), [this](const Event& x, const Event& y) { return later_(y, x); });
  }

  Later later_;
  std::size_t size_ = 0, in_ring_ = 0;
  std::int64_t cur_ = 0;
  std::vector<Event> near_; // the current bucket, sorted; near_[pos_] is its first event left
  std::size_t pos_ = 0;
  std::vector<Event> late_, far_; // heaps
  std::vector<std::vector<Event>> ring_;
};

} // namespace outagesim::bgp
