package com.rustkeystore.android;

/** The texts of one authentication prompt; a missing text gets a default. */
public final class PromptText {
  /** Shown when the app gives no title. */
  public static final String DEFAULT_TITLE = "Confirm it's you";

  /** Shown on the button that dismisses the prompt when the app gives no label. */
  public static final String DEFAULT_CANCEL = "Cancel";

  /** The prompt's heading; never empty. */
  public final String title;

  /** The line under the heading, or {@code null} for none. */
  public final String subtitle;

  /** The label of the button that dismisses the prompt; never empty. */
  public final String cancel;

  /** The texts the app gave; a {@code null} or empty title or label gets its default. */
  public PromptText(String title, String subtitle, String cancel) {
    this.title = title == null || title.isEmpty() ? DEFAULT_TITLE : title;
    this.subtitle = subtitle == null || subtitle.isEmpty() ? null : subtitle;
    this.cancel = cancel == null || cancel.isEmpty() ? DEFAULT_CANCEL : cancel;
  }
}
