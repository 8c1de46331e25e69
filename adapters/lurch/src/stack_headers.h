// The C headers of libaxc and libomemo, which declare no C linkage themselves. Every file of the
// adapter includes them through here. glib and libsignal (which do) come first, outside.
#pragma once

#include <glib.h>
#include <signal_protocol.h>

extern "C" {
#include <axc.h>
#include <axc_crypto.h>
#include <axc_store.h>
#include <libomemo.h>
#include <libomemo_crypto.h>
#include <libomemo_storage.h>
}
