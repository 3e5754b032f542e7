/* attn-field-error.c: a field that says why it refuses what is typed, and
 * the residual weight α's field, in the side panel and in Preferences
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkSpinButton puts the value in force back when what is typed is not a
 * number in its range, and says nothing: α's field keeps what was typed, in
 * red, and says why under it; the value in force stays.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "attn-field-error.h"

typedef struct
{
  GtkLabel        *error;       /* why the α typed is refused */
  AttnTooltipFunc  tooltip;
  gpointer         user_data;
  gboolean         keep_text;   /* α refused: the field keeps the text */
} ResidualField;

/**
 * attn_show_field_error:
 * @field: the field
 * @label: the label under it
 * @message: (nullable): why what was typed is refused, or %NULL for none
 *
 * Says a field's refusal under it in @label, not only in its tooltip
 * (keyboard and screen reader users never hover): the field in red and
 * invalid to assistive technologies.
 */
void
attn_show_field_error (GtkWidget  *field,
                       GtkLabel   *label,
                       const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
residual_field_free (gpointer data)
{
  ResidualField *field = data;

  g_clear_object (&field->error);
  g_free (field);
}

static void
set_residual_error (GtkSpinButton *spin,
                    ResidualField *field,
                    const char    *message)
{
  attn_show_field_error (GTK_WIDGET (spin), field->error, message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (spin),
                               message != NULL ? message
                               : field->tooltip != NULL ? field->tooltip (field->user_data)
                               : NULL);
}

/* α typed in the field, or -1 with @message set to why it is refused: a
 * number from 0 to 1, as GtkSpinButton reads it (with a point, or the
 * locale's decimal comma) */
static double
residual_typed (GtkSpinButton  *spin,
                char          **message)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  char *end = NULL;
  double value = g_strtod (text, &end);

  *message = NULL;
  if (*text != '\0' && *end == '\0' && value >= gtk_adjustment_get_lower (adjustment) &&
      value <= gtk_adjustment_get_upper (adjustment))
    return value;
  /* a decimal comma where the locale writes a point (0,3 read as 0): the
   * point is asked for, when the value would do with it */
  if (strchr (text, ',') != NULL && strcmp (localeconv ()->decimal_point, ",") != 0)
    {
      g_autofree char *pointed = g_strdelimit (g_strdup (text), ",", '.');

      value = g_ascii_strtod (pointed, &end);
      if (*end == '\0' && value >= gtk_adjustment_get_lower (adjustment) &&
          value <= gtk_adjustment_get_upper (adjustment))
        {
          /* translators: α as it should be typed (0.3), then as typed with a
           * decimal comma (0,3), where numbers are written with a point */
          *message = g_strdup_printf (_("α is a number from 0 to 1, written with a decimal point (%s, not “%s”)"),
                                      pointed, text);
          return -1.;
        }
    }
  /* translators: %s is what was typed in the residual weight's field */
  *message = g_strdup_printf (_("“%s” is not taken: α is a number from 0 to 1"), text);
  return -1.;
}

/* The field reads what was typed on Enter, Tab or a click elsewhere: what
 * is refused stays in it, in red, and says why under it */
static int
residual_input_cb (GtkSpinButton *spin,
                   double        *value,
                   ResidualField *field)
{
  g_autofree char *message = NULL;
  double typed = residual_typed (spin, &message);

  if (message == NULL)
    {
      *value = typed;
      return TRUE;
    }
  set_residual_error (spin, field, message);
  /* the spin button writes its value back in the field next: not now */
  field->keep_text = TRUE;
  return GTK_INPUT_ERROR;
}

static gboolean
residual_output_cb (GtkSpinButton *spin,
                    ResidualField *field)
{
  return field->keep_text;
}

/* The value changed (+ or −, a key, another window) and the field shows it:
 * no refusal is left to show; not after a refusal, which emits it too */
static void
residual_value_changed_cb (GtkSpinButton *spin,
                           ResidualField *field)
{
  if (field->keep_text)
    field->keep_text = FALSE;
  else
    set_residual_error (spin, field, NULL);
}

/* While typing: a refusal shown earlier goes as soon as the text is a
 * valid α; nothing is applied */
static void
residual_changed_cb (GtkEditable   *editable,
                     ResidualField *field)
{
  g_autofree char *message = NULL;

  if (!gtk_widget_has_css_class (GTK_WIDGET (editable), "error"))
    return;
  residual_typed (GTK_SPIN_BUTTON (editable), &message);
  if (message == NULL)
    set_residual_error (GTK_SPIN_BUTTON (editable), field, NULL);
}

/**
 * attn_residual_field_init:
 * @spin: the residual weight α's field, from 0 to 1
 * @error: the label under it that says why what is typed is refused
 * @tooltip: (nullable): the field's tooltip when nothing is refused
 * @user_data: the data for @tooltip
 *
 * Makes @spin say why it refuses what is typed, in @error and in its
 * tooltip, instead of putting the value in force back without a word.
 */
void
attn_residual_field_init (GtkSpinButton   *spin,
                          GtkLabel        *error,
                          AttnTooltipFunc  tooltip,
                          gpointer         user_data)
{
  ResidualField *field = g_new0 (ResidualField, 1);

  field->error = g_object_ref (error);
  field->tooltip = tooltip;
  field->user_data = user_data;
  g_object_set_data_full (G_OBJECT (spin), "attn-residual-field", field, residual_field_free);
  g_signal_connect (spin, "input", G_CALLBACK (residual_input_cb), field);
  g_signal_connect (spin, "output", G_CALLBACK (residual_output_cb), field);
  g_signal_connect (spin, "value-changed", G_CALLBACK (residual_value_changed_cb), field);
  g_signal_connect (spin, "changed", G_CALLBACK (residual_changed_cb), field);
}
