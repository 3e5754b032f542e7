/* attn-test-util.h: helpers the test programs share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void attn_test_remove_tree (const char *path);

G_END_DECLS
