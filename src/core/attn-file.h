/* attn-file.h: where a save writes
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GFile *attn_file_resolve_link (GFile *file);

G_END_DECLS
