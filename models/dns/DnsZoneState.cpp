// DnsCore, zone state: faults on zone contents and on resolvers' caches.
#include "models/dns/DnsCore.hpp"

#include <algorithm>

#include "models/dns/DnsCoreDetail.hpp"

namespace outagesim::dns {

using namespace detail;

bool DnsCore::set_zone_deleted(std::size_t zone, bool deleted, std::uint64_t cause) {
  if (bool(zone_deleted_.at(zone)) == deleted) return false;
  zone_deleted_[zone] = deleted;
  zone_cause_[zone] = deleted ? cause : 0;
  return true;
}

bool DnsCore::set_record_deleted(std::size_t name, bool deleted, std::uint64_t cause) {
  if (bool(record_deleted_.at(name)) == deleted) return false;
  record_deleted_[name] = deleted;
  record_cause_[name] = deleted ? cause : 0;
  return true;
}

bool DnsCore::set_delegated(std::size_t zone, bool delegated, std::uint64_t cause) {
  if (zones_.at(zone).parent < 0) return false; // a TLD: the root is not modelled
  if (bool(undelegated_[zone]) == !delegated) return false;
  undelegated_[zone] = !delegated;
  zone_cause_[zone] = delegated ? 0 : cause;
  return true;
}

bool DnsCore::poison(std::size_t resolver, std::size_t name, double t, double ttl) {
  if (name >= names_.size()) return false;
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i) {
    const std::size_t inst = inst_base_[resolver] + std::size_t(i);
    caches_.name(inst, name) =
        CacheEntry{CacheEntry::Kind::Forged, t, t + ttl, t + ttl + resolver_policy_[resolver].max_stale};
    caches_.clear_holds(inst, name);
    forget_walks(inst_base_[resolver] + std::size_t(i), name);
  }
  return true;
}

bool DnsCore::flush(std::size_t resolver, std::size_t name) {
  if (name >= names_.size()) return false;
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i) {
    const std::size_t inst = inst_base_[resolver] + std::size_t(i);
    caches_.name(inst, name) = CacheEntry{};
    caches_.clear_holds(inst, name);
    forget_walks(inst_base_[resolver] + std::size_t(i), name);
  }
  return true;
}

void DnsCore::forget_all(std::size_t resolver) {
  const int n_inst = std::max(1, config_.resolvers.at(resolver).instances);
  for (int i = 0; i < n_inst; ++i) {
    caches_.clear(inst_base_[resolver] + std::size_t(i));
    forget_walks(inst_base_[resolver] + std::size_t(i));
  }
}

} // namespace outagesim::dns
