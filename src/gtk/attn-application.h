/* attn-application.h: the application
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATTN_TYPE_APPLICATION (attn_application_get_type ())

G_DECLARE_FINAL_TYPE (AttnApplication, attn_application, ATTN, APPLICATION, AdwApplication)

AttnApplication *attn_application_new          (void);
gboolean         attn_application_check_schema (GError **error);

G_END_DECLS
