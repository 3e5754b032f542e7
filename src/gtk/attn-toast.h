/* attn-toast.h: toasts that show what they say, and name the file
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *attn_toast_new          (const char   *message,
                                   guint         seconds);
char     *attn_toast_file_message (const char   *path,
                                   const char   *message);
char     *attn_toast_save_message (GFile        *file,
                                   const GError *error);

G_END_DECLS
