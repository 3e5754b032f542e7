/* attn-toast.h: toasts that show what they say, and name the file
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Longer messages than this get a Details button while the toast cuts
 * them (a toast shows one line) */
#define ATTN_TOAST_DETAILS_CHARS 60
/* and stay long enough to reach the button */
#define ATTN_TOAST_DETAILS_SECONDS 15
/* The Details dialog shows at most this many characters of a message (its
 * beginning and its end, “…” between): a label wraps a text without a space
 * in a time that grows with its square, 15 s at 10,000 characters */
#define ATTN_TOAST_DETAILS_MAX_CHARS 1000
/* and scrolls beyond this height */
#define ATTN_TOAST_DETAILS_MAX_HEIGHT 360

AdwToast *attn_toast_new          (const char   *message,
                                   guint         seconds);
AdwToast *attn_toast_new_with_details (const char *message,
                                       const char *details,
                                       guint       seconds);
void      attn_toast_update       (AdwToast     *toast,
                                   const char   *message,
                                   const char   *details,
                                   guint         seconds);
gboolean  attn_toast_repeats_details (AdwToast     *toast);
void      attn_toast_fit_details  (AdwToast        *toast,
                                   AdwToastOverlay *overlay);
void      attn_toast_show         (AdwToastOverlay *overlay,
                                   AdwToast        *toast);
void      attn_toast_withdraw     (AdwToastOverlay *overlay,
                                   AdwToast        *toast);
gboolean  attn_toast_is_postponed (AdwToast     *toast);
void      attn_toast_install_details_action (GtkWidgetClass *window_class);
char     *attn_toast_details_text (const char   *message);
char     *attn_toast_file_message (const char   *path,
                                   const char   *message);
char     *attn_toast_file_details (const char   *path,
                                   const char   *message);
char     *attn_toast_save_message (GFile        *file,
                                   const GError *error);

G_END_DECLS
