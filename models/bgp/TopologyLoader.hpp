#pragma once
// Loading AS topologies from CAIDA AS-relationship files.
//
// Accepted format (https://www.caida.org/catalog/datasets/as-relationships/), plain or bzip2
// (detected by the "BZh" magic, not the file name; concatenated bz2 streams are accepted):
//   # comment lines start with '#'; blank lines are ignored
//   <provider>|<customer>|-1          serial-1
//   <peer>|<peer>|0
//   <a>|<b>|<rel>|<source>            serial-2 (the source field is read and ignored)
// Only -1 and 0 are relationship codes in these files: siblings exist in AsGraph (inline
// topologies, the generator) but not in CAIDA files, so any other code is an error.
//
// Errors (TopologyError, with file, line and column, 1-based): a malformed line (wrong field count,
// a non-numeric or out-of-range AS number, AS 0), an unknown relationship code, a self-loop, an AS
// pair listed twice with different relationships (e.g. both provider and customer of each other),
// a truncated or corrupt .bz2, an unreadable file. A pair listed twice with the same relationship
// is accepted with one warning. Provider-customer cycles are legal but produce a warning.
#include "models/bgp/AsGraph.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::bgp {

/// A fatal error in a topology input, located in its file. what() is "file:line:col: message"
/// (":col" omitted when 0; line 0 means the file as a whole). The CLI maps it to exit code 2.
class TopologyError : public std::runtime_error {
public:
  TopologyError(std::string file, int line, int col, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int col() const { return col_; }
  /// The message without the location.
  const std::string& message() const { return message_; }

private:
  std::string file_;
  int line_;
  int col_;
  std::string message_;
};

/// A loaded topology and what was legal but worth telling the user.
struct LoadedTopology {
  AsGraph graph;
  /// Human-readable warnings, each prefixed with "file:" or "file:line:" where that helps.
  std::vector<std::string> warnings;
  /// 1 or 2 (the CAIDA serial format of the data lines; 2 if any line has a source field).
  int serial = 1;
};

/// Reads and parses a CAIDA as-rel file (plain or .bz2). Every link gets `link_delay_s`.
/// Throws TopologyError.
LoadedTopology load_caida(const std::string& path, double link_delay_s = kDefaultLinkDelay);

/// Parses CAIDA as-rel text already in memory; `file_label` is used in errors and warnings.
/// Throws TopologyError.
LoadedTopology parse_caida(std::string_view text, const std::string& file_label,
                           double link_delay_s = kDefaultLinkDelay);

/// The most AS-relationship text read, plain or decompressed (CAIDA's full graph is ~4 MiB): a
/// larger file, or a .bz2 that decompresses to more (a decompression bomb), is a TopologyError.
constexpr std::size_t kMaxTopologyBytes = std::size_t(256) << 20;

/// Reads a whole regular file (a FIFO, device or folder is refused), decompressing it if it starts with the bzip2 magic. Throws TopologyError
/// (line 0 for I/O errors; for a truncated bz2, the line at which the decompressed text stops).
std::string read_maybe_bz2(const std::string& path);

/// The text of file content already in memory: decompressed if it starts with the bzip2 magic
/// (capped at kMaxTopologyBytes), else as is. Throws TopologyError naming `path`.
std::string decode_maybe_bz2(std::string data, const std::string& path);

/// The warning text for provider-customer cycles (empty if none): what the policies then guarantee.
std::vector<std::string> describe_provider_cycles(const std::vector<std::vector<Asn>>& cycles,
                                                  const std::string& file_label);

} // namespace outagesim::bgp
