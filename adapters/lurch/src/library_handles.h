// Owning handles for the C objects of libomemo, libaxc and glib, and the failure type the glue
// throws when a library call fails (carrying the library's code and the canonical class).
#pragma once

#include <glib.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "library_errors.h"
#include "stack_headers.h"

namespace lurch_adapter {

struct DevicelistFree {
  void operator()(omemo_devicelist* p) const { omemo_devicelist_destroy(p); }
};
struct BundleFree {
  void operator()(omemo_bundle* p) const { omemo_bundle_destroy(p); }
};
struct MessageFree {
  void operator()(omemo_message* p) const {
    // omemo_message_destroy frees the members but not the struct (libomemo 0.8.1).
    omemo_message_destroy(p);
    std::free(p);
  }
};
struct AxcBufFree {
  void operator()(axc_buf* p) const { axc_buf_free(p); }
};
struct AxcBundleFree {
  void operator()(axc_bundle* p) const { axc_bundle_destroy(p); }
};
struct MallocFree {
  void operator()(void* p) const { std::free(p); }
};
struct GListFree {
  void operator()(GList* p) const { g_list_free_full(p, std::free); }
};

using DevicelistPtr = std::unique_ptr<omemo_devicelist, DevicelistFree>;
using BundlePtr = std::unique_ptr<omemo_bundle, BundleFree>;
using MessagePtr = std::unique_ptr<omemo_message, MessageFree>;
using AxcBufPtr = std::unique_ptr<axc_buf, AxcBufFree>;
using AxcBundlePtr = std::unique_ptr<axc_bundle, AxcBundleFree>;
using CString = std::unique_ptr<char, MallocFree>;
using Bytes = std::unique_ptr<uint8_t, MallocFree>;
using IdList = std::unique_ptr<GList, GListFree>;

// A library call failed: `error_class` is its canonical class (PROTOCOL.md §7.1), `what` names
// the call and the library's code.
class LibraryFailure : public std::runtime_error {
 public:
  LibraryFailure(std::string error_class, const std::string& call, int code,
                 const std::string& note = "")
      : std::runtime_error(call + ": " + library_error_name(code) +
                           (note.empty() ? "" : " (" + note + ")")),
        error_class_(std::move(error_class)) {}
  const std::string& error_class() const { return error_class_; }

 private:
  std::string error_class_;
};

}  // namespace lurch_adapter
