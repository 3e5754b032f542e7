/* attn-threads-private.h: running the parts of a computation on every processor
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void attn_run_parts (const char  *name,
                     GThreadFunc  func,
                     gpointer     parts,
                     gsize        part_size,
                     guint        n_parts);

G_END_DECLS
