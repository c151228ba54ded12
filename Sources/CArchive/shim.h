// libarchive for Swift: the headers, plus constants whose macros Swift cannot import (they carry casts).
// This header is the only place Swift sees libarchive.
#ifndef WORDBENCH_CARCHIVE_SHIM_H
#define WORDBENCH_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
// Nettle's SHA-256 (libarchive's own crypto library on Debian), which uses the CPU's SHA instructions: archives
// hash every byte they hold, twice.
#include <nettle/sha2.h>

static const unsigned int WB_AE_IFMT = AE_IFMT;
static const unsigned int WB_AE_IFREG = AE_IFREG;
static const unsigned int WB_AE_IFDIR = AE_IFDIR;
static const unsigned int WB_AE_IFLNK = AE_IFLNK;

#endif
