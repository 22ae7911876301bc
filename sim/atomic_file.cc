#include "sim/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>

#include "absl/strings/str_format.h"

namespace wvsim::sim {

namespace {

// An I/O failure as a status whose message names the file the caller asked about.
absl::Status IoError(int error_number, const std::string& path, std::string_view what) {
  return absl::ErrnoToStatus(error_number, absl::StrFormat("%s: %s", path, what));
}

// Unique per process (pid) and per call (counter), so concurrent writers of one path, in this
// process or another, never share a temporary file.
std::string TemporaryPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrFormat("%s.tmp.%d.%d", path, static_cast<int64_t>(::getpid()),
                         counter.fetch_add(1, std::memory_order_relaxed));
}

absl::Status CreateParentDirectories(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return absl::OkStatus();
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (!error) return absl::OkStatus();
  return IoError(error.value(), path,
                 absl::StrFormat("cannot create directory '%s'", parent.string()));
}

// write(2) may write less than asked or be interrupted; loops until all of `text` is out.
// Returns 0 or the errno of the failure.
int WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno;
    text.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

// Writes `text` to `temporary_path` and forces it to disk, so that after the rename the new
// name never points at a file whose data is still only in the page cache.
absl::Status WriteDurably(const std::string& temporary_path, std::string_view text,
                          const std::string& path) {
  const int fd = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return IoError(errno, path, absl::StrFormat("cannot create '%s'", temporary_path));
  }
  int error = WriteAll(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) return IoError(error, path, absl::StrFormat("cannot write '%s'", temporary_path));
  return absl::OkStatus();
}

// Makes the rename itself survive a power cut. Best effort: the rename is already visible to
// every reader, and some file systems refuse to fsync a directory.
void SyncParentDirectory(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Reads at most `limit` bytes, growing the buffer as data arrives rather than trusting a size.
absl::StatusOr<std::string> ReadAtMost(int fd, size_t limit, const std::string& path) {
  constexpr size_t kChunkBytes = size_t{1} << 16;
  std::string text;
  while (text.size() < limit) {
    const size_t old_size = text.size();
    const size_t chunk = std::min(limit - old_size, kChunkBytes);
    text.resize(old_size + chunk);
    const ssize_t got = ::read(fd, text.data() + old_size, chunk);
    const int error = errno;
    text.resize(old_size + static_cast<size_t>(std::max<ssize_t>(got, 0)));
    if (got < 0 && error == EINTR) continue;
    if (got < 0) return IoError(error, path, "cannot read file");
    if (got == 0) break;
  }
  return text;
}

bool IsDecimal(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

// The writer's pid in a temporary file's name "<name><suffix>.tmp.<pid>.<n>"; 0 when `name` is
// not one.
pid_t TemporaryFileOwner(std::string_view name, std::string_view suffix) {
  const size_t tmp = name.rfind(".tmp.");
  if (tmp == std::string_view::npos || tmp < suffix.size() ||
      name.substr(tmp - suffix.size(), suffix.size()) != suffix) {
    return 0;
  }
  const std::string_view rest = name.substr(tmp + 5);
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos || !IsDecimal(rest.substr(0, dot)) ||
      !IsDecimal(rest.substr(dot + 1))) {
    return 0;
  }
  const long long pid = std::stoll(std::string(rest.substr(0, dot)));
  return pid > 0 && pid <= std::numeric_limits<pid_t>::max() ? static_cast<pid_t>(pid) : 0;
}

// kill(pid, 0) delivers nothing; it fails with ESRCH exactly when no such process exists (EPERM
// means one exists that we may not signal).
bool ProcessAlive(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

int RemoveStaleTemporaryFiles(const std::string& directory, std::string_view suffix) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  int removed = 0;
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    const pid_t owner = TemporaryFileOwner(name, suffix);
    std::error_code file_error;
    if (owner == 0 || ProcessAlive(owner) || !it->is_regular_file(file_error)) continue;
    if (std::filesystem::remove(it->path(), file_error)) ++removed;
  }
  return removed;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view text) {
  if (path.empty()) return absl::InvalidArgumentError("empty file path");
  if (absl::Status made = CreateParentDirectories(path); !made.ok()) return made;
  const std::string temporary_path = TemporaryPathFor(path);
  absl::Status written = WriteDurably(temporary_path, text, path);
  if (written.ok() && ::rename(temporary_path.c_str(), path.c_str()) != 0) {
    written = IoError(errno, path, absl::StrFormat("cannot rename '%s' over it", temporary_path));
  }
  if (!written.ok()) {
    ::unlink(temporary_path.c_str());
    return written;
  }
  SyncParentDirectory(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFileAtMost(const std::string& path, size_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(errno, path, "cannot open file");
  absl::StatusOr<std::string> text = ReadAtMost(fd, limit, path);
  ::close(fd);
  return text;
}

}  // namespace wvsim::sim
