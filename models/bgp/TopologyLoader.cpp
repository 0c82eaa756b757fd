#include "models/bgp/TopologyLoader.hpp"

#include <algorithm>
#include <bzlib.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>
#include <sstream>

namespace outagesim::bgp {
namespace {

std::string locate(const std::string& file, int line, int col) {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  if (line > 0 && col > 0) s += ":" + std::to_string(col);
  return s;
}

int count_lines(std::string_view text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Decompresses one or more concatenated bzip2 streams. Throws on corruption, truncation, or text
// beyond kMaxTopologyBytes (a decompression bomb).
std::string bunzip(const std::string& data, const std::string& path) {
  std::string out;
  out.reserve(std::min<std::size_t>(data.size() * 5, kMaxTopologyBytes));
  std::size_t consumed = 0;
  char buf[1 << 16];
  while (consumed < data.size()) {
    bz_stream bz;
    std::memset(&bz, 0, sizeof bz);
    if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK) throw TopologyError(path, 0, 0, "cannot initialise bzip2");
    bz.next_in = const_cast<char*>(data.data() + consumed);
    bz.avail_in = static_cast<unsigned>(data.size() - consumed);
    int rc = BZ_OK;
    while (rc == BZ_OK) {
      bz.next_out = buf;
      bz.avail_out = sizeof buf;
      rc = BZ2_bzDecompress(&bz);
      out.append(buf, sizeof buf - bz.avail_out);
      if (out.size() > kMaxTopologyBytes) {
        BZ2_bzDecompressEnd(&bz);
        throw TopologyError(path, 0, 0,
                            "decompresses to more than " + std::to_string(kMaxTopologyBytes >> 20) +
                                " MiB (the cap on AS-relationship text; CAIDA's full graph is under 20 MiB): "
                                "expected an AS-relationship file, not a decompression bomb");
      }
      if (rc == BZ_OK && bz.avail_in == 0 && bz.avail_out != 0) break; // input exhausted mid-stream
    }
    consumed = data.size() - bz.avail_in;
    BZ2_bzDecompressEnd(&bz);
    if (rc != BZ_STREAM_END) {
      int line = count_lines(out) + 1;
      std::string why = rc == BZ_OK ? "truncated .bz2 file: the compressed data ends inside a stream"
                                    : "corrupt .bz2 data (bzip2 error " + std::to_string(rc) + ")";
      throw TopologyError(path, line, 0, why + " (decompressed text stops in this line)");
    }
    // Trailing garbage after a stream that is not another stream: ignore only padding zeros.
    if (consumed < data.size() && data.compare(consumed, 3, "BZh") != 0) break;
  }
  return out;
}

// Parses an unsigned decimal field; false if empty, non-digit or > UINT32_MAX.
bool parse_u32(std::string_view f, std::uint32_t& out) {
  if (f.empty() || f.size() > 10) return false;
  std::uint64_t v = 0;
  for (char c : f) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 0xFFFFFFFFull) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

} // namespace

TopologyError::TopologyError(std::string file, int line, int col, std::string message)
    : std::runtime_error(locate(file, line, col) + ": " + message), file_(std::move(file)), line_(line),
      col_(col), message_(std::move(message)) {}

std::string read_maybe_bz2(const std::string& path) {
  // Opened without blocking and checked before reading: a FIFO, device or folder is refused, not
  // read forever.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw TopologyError(path, 0, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw TopologyError(path, 0, 0, "not a regular file (a FIFO, device or folder); expected an AS-relationship file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxTopologyBytes) {
    ::close(fd);
    throw TopologyError(path, 0, 0, "file is " + std::to_string(st.st_size) + " bytes; expected at most " +
                                        std::to_string(kMaxTopologyBytes >> 20) + " MiB");
  }
  std::string data(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != data.size()) throw TopologyError(path, 0, 0, "read error");
  return decode_maybe_bz2(std::move(data), path);
}

std::string decode_maybe_bz2(std::string data, const std::string& path) {
  if (data.size() >= 3 && data.compare(0, 3, "BZh") == 0) return bunzip(data, path);
  return data;
}

std::vector<std::string> describe_provider_cycles(const std::vector<std::vector<Asn>>& cycles,
                                                  const std::string& file_label) {
  if (cycles.empty()) return {};
  std::size_t total = 0;
  for (const auto& c : cycles)
    total += c.size();
  std::string w = file_label + ": provider-customer cycle";
  w += cycles.size() > 1 ? "s" : "";
  w += " (" + std::to_string(cycles.size()) + " group" + (cycles.size() > 1 ? "s" : "") + ", " +
       std::to_string(total) + " ASes; first: AS";
  const auto& first = cycles.front();
  for (std::size_t i = 0; i < first.size() && i < 8; ++i)
    w += (i ? " AS" : "") + std::to_string(first[i]);
  if (first.size() > 8) w += " ...";
  w += "). The Gao-Rexford guarantees assume an acyclic customer-provider hierarchy: with a cycle, "
       "routing is no longer guaranteed to converge or to reach a unique stable state, and the "
       "converged paths may depend on message timing (the seed). Valley-free export still holds "
       "hop by hop. The simulation stops at its event limit if it oscillates.";
  return {w};
}

LoadedTopology parse_caida(std::string_view text, const std::string& file, double link_delay_s) {
  LoadedTopology result;
  AsGraphBuilder builder;
  // Every link line as pair (min, max), relationship code as seen from min, line and column; sorted
  // by pair at the end (a flat sort, not a hash map of half a million nodes), the first line of
  // each pair gives the link, later ones are duplicates or conflicts.
  struct Seen {
    std::uint64_t key; // min << 32 | max
    int line;
    int col;          // of the line's first field
    std::int8_t code; // -1: min is provider of max; 1: max is provider of min; 0: peers
  };
  std::vector<Seen> seen;
  seen.reserve(text.size() / 16);
  int duplicates = 0, first_duplicate_line = 0;
  bool any_serial2 = false;
  auto describe = [](std::uint64_t key, int c) -> std::string {
    const Asn lo = static_cast<Asn>(key >> 32), hi = static_cast<Asn>(key);
    if (c == 0) return "peers";
    Asn prov = c == -1 ? lo : hi, cust = c == -1 ? hi : lo;
    return "AS" + std::to_string(prov) + " provider of AS" + std::to_string(cust);
  };
  // Sorts `seen` by (pair, line); throws at the earliest line whose relationship contradicts the
  // first line of its pair (where a line-by-line check would have stopped), else counts duplicates.
  auto check_pairs = [&] {
    std::sort(seen.begin(), seen.end(),
              [](const Seen& x, const Seen& y) { return x.key != y.key ? x.key < y.key : x.line < y.line; });
    const Seen* conflict = nullptr;
    const Seen* conflict_first = nullptr;
    for (std::size_t i = 0, first = 0; i < seen.size(); ++i) {
      if (i == 0 || seen[i].key != seen[i - 1].key) {
        first = i;
        continue;
      }
      if (seen[i].code == seen[first].code) {
        if (duplicates++ == 0 || seen[i].line < first_duplicate_line) first_duplicate_line = seen[i].line;
      } else if (!conflict || seen[i].line < conflict->line) {
        conflict = &seen[i];
        conflict_first = &seen[first];
      }
    }
    if (!conflict) return;
    const Asn lo = static_cast<Asn>(conflict->key >> 32), hi = static_cast<Asn>(conflict->key);
    std::string msg = "conflicting relationship for AS" + std::to_string(lo) + "-AS" + std::to_string(hi) +
                      ": " + describe(conflict->key, conflict->code) + " here, but " +
                      describe(conflict->key, conflict_first->code) + " at line " +
                      std::to_string(conflict_first->line);
    if (conflict->code != 0 && conflict_first->code != 0)
      msg += " (an AS cannot be both provider and customer of another)";
    throw TopologyError(file, conflict->line, conflict->col, msg);
  };

  int line_no = 0;
  std::size_t pos = 0;
  try {
    while (pos < text.size()) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view raw = text.substr(pos, eol - pos);
      pos = eol + 1;
      ++line_no;
      std::string_view line = trim(raw);
      if (line.empty() || line.front() == '#') continue;

      // Split on '|', remembering each field's 1-based column.
      std::string_view fields[5];
      int cols[5];
      int nf = 0;
      std::size_t start = 0;
      const int base_col = static_cast<int>(line.data() - raw.data()) + 1;
      while (true) {
        std::size_t bar = line.find('|', start);
        std::string_view f =
            line.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        if (nf < 5) {
          fields[nf] = f;
          cols[nf] = base_col + static_cast<int>(start);
        }
        ++nf;
        if (bar == std::string_view::npos) break;
        start = bar + 1;
      }
      if (nf != 3 && nf != 4)
        throw TopologyError(
            file, line_no, base_col,
            "malformed line: expected 'a|b|rel' (serial-1) or 'a|b|rel|source' (serial-2), got " +
                std::to_string(nf) + " field" + (nf == 1 ? "" : "s"));
      if (nf == 4) any_serial2 = true;
      Asn a, b;
      for (int i = 0; i < 2; ++i) {
        std::uint32_t& out = i == 0 ? a : b;
        if (!parse_u32(fields[i], out))
          throw TopologyError(file, line_no, cols[i],
                              "malformed AS number '" + std::string(fields[i]) + "' (expected 1..4294967295)");
        if (out == 0)
          throw TopologyError(file, line_no, cols[i], "AS 0 is reserved and cannot appear in a topology");
      }
      int code;
      if (fields[2] == "-1")
        code = -1;
      else if (fields[2] == "0")
        code = 0;
      else
        throw TopologyError(file, line_no, cols[2],
                            "unknown relationship code '" + std::string(fields[2]) +
                                "' (expected -1: provider|customer, 0: peer|peer)");
      if (a == b)
        throw TopologyError(file, line_no, cols[0], "self-loop: AS" + std::to_string(a) + " linked to itself");

      const Asn lo = std::min(a, b), hi = std::max(a, b);
      const int code_lo = code == 0 ? 0 : (a == lo ? -1 : 1);
      seen.push_back(Seen{(static_cast<std::uint64_t>(lo) << 32) | hi, line_no, cols[0],
                          static_cast<std::int8_t>(code_lo)});
    }
  } catch (const TopologyError&) {
    check_pairs(); // a conflict on an earlier line is the first error
    throw;
  }
  check_pairs();
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (i > 0 && seen[i].key == seen[i - 1].key) continue; // a duplicate line
    const Asn lo = static_cast<Asn>(seen[i].key >> 32), hi = static_cast<Asn>(seen[i].key);
    if (seen[i].code == 0)
      builder.add_link(lo, hi, Relationship::Peer, link_delay_s);
    else if (seen[i].code == -1)
      builder.add_link(lo, hi, Relationship::Customer, link_delay_s);
    else
      builder.add_link(hi, lo, Relationship::Customer, link_delay_s);
  }
  if (duplicates > 0)
    result.warnings.push_back(locate(file, first_duplicate_line, 0) + ": " + std::to_string(duplicates) +
                              " duplicate link line(s) with the same relationship ignored (first here)");
  result.serial = any_serial2 ? 2 : 1;
  result.graph = builder.build();
  auto cyc = describe_provider_cycles(find_provider_cycles(result.graph), file);
  result.warnings.insert(result.warnings.end(), cyc.begin(), cyc.end());
  return result;
}

LoadedTopology load_caida(const std::string& path, double link_delay_s) {
  std::string text = read_maybe_bz2(path);
  return parse_caida(text, path, link_delay_s);
}

} // namespace outagesim::bgp
