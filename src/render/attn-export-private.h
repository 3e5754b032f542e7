/* attn-export-private.h: test hooks of attn-export.c
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tests only: make the next saves fail once @bytes bytes were written
 * (-1 turns it off), to check that a failed save leaves the target alone. */
void _attn_export_set_fail_after (gssize bytes);

G_END_DECLS
