package org.cropmae.android.demo;

/**
 * Stand-in for the R class that aapt generates from app/src/main/res, so that the JVM check can
 * compile the app without the Android build tools. The Gradle build does not see this file.
 * ResourceStubTest fails when it no longer lists exactly the resources res/ declares; the
 * failure message holds the new content (or run the check with -Dregenerate.r=true).
 * The numbers are placeholders, not aapt's.
 */
@SuppressWarnings("unused")
public final class R {
  private R() {}

  public static final class array {
    private array() {}

    public static final int provider_choices = 0x7f010000;
    public static final int resolution_choices = 0x7f010001;
    public static final int sampling_choices = 0x7f010002;
  }

  public static final class color {
    private color() {}

    public static final int accent = 0x7f020000;
    public static final int frame_background = 0x7f020001;
    public static final int primary = 0x7f020002;
    public static final int primary_dark = 0x7f020003;
    public static final int swatch_selected = 0x7f020004;
    public static final int swatch_unselected = 0x7f020005;
    public static final int text_primary = 0x7f020006;
    public static final int text_secondary = 0x7f020007;
    public static final int window_background = 0x7f020008;
  }

  public static final class dimen {
    private dimen() {}

    public static final int brush_default = 0x7f030000;
    public static final int brush_max = 0x7f030001;
    public static final int brush_min = 0x7f030002;
    public static final int row_spacing = 0x7f030003;
    public static final int screen_padding = 0x7f030004;
    public static final int swatch_margin = 0x7f030005;
    public static final int swatch_size = 0x7f030006;
    public static final int swatch_stroke = 0x7f030007;
    public static final int swatch_stroke_selected = 0x7f030008;
    public static final int text_status = 0x7f030009;
  }

  public static final class drawable {
    private drawable() {}

    public static final int ic_launcher = 0x7f040000;
  }

  public static final class id {
    private id() {}

    public static final int add_object_button = 0x7f050000;
    public static final int brush_row = 0x7f050001;
    public static final int brush_seek = 0x7f050002;
    public static final int clear_button = 0x7f050003;
    public static final int demo_button = 0x7f050004;
    public static final int eraser_toggle = 0x7f050005;
    public static final int export_button = 0x7f050006;
    public static final int frame_label = 0x7f050007;
    public static final int frame_seek = 0x7f050008;
    public static final int frame_view = 0x7f050009;
    public static final int object_swatches = 0x7f05000a;
    public static final int objects_row = 0x7f05000b;
    public static final int open_button = 0x7f05000c;
    public static final int play_button = 0x7f05000d;
    public static final int player_row = 0x7f05000e;
    public static final int progress = 0x7f05000f;
    public static final int provider_spinner = 0x7f050010;
    public static final int record_button = 0x7f050011;
    public static final int resolution_spinner = 0x7f050012;
    public static final int run_button = 0x7f050013;
    public static final int run_row = 0x7f050014;
    public static final int sampling_spinner = 0x7f050015;
    public static final int settings_row = 0x7f050016;
    public static final int source_row = 0x7f050017;
    public static final int status_text = 0x7f050018;
    public static final int undo_button = 0x7f050019;
  }

  public static final class layout {
    private layout() {}

    public static final int activity_main = 0x7f060000;
  }

  public static final class string {
    private string() {}

    public static final int add_object = 0x7f070000;
    public static final int app_name = 0x7f070001;
    public static final int brush_size = 0x7f070002;
    public static final int cancel = 0x7f070003;
    public static final int clear = 0x7f070004;
    public static final int demo_clip = 0x7f070005;
    public static final int edit_mask = 0x7f070006;
    public static final int eraser = 0x7f070007;
    public static final int error_export = 0x7f070008;
    public static final int error_no_camera = 0x7f070009;
    public static final int error_no_object = 0x7f07000a;
    public static final int error_run = 0x7f07000b;
    public static final int error_video = 0x7f07000c;
    public static final int export = 0x7f07000d;
    public static final int frame_label = 0x7f07000e;
    public static final int object_n = 0x7f07000f;
    public static final int open_video = 0x7f070010;
    public static final int pause = 0x7f070011;
    public static final int placeholder_model_notice = 0x7f070012;
    public static final int play = 0x7f070013;
    public static final int propagate = 0x7f070014;
    public static final int record_video = 0x7f070015;
    public static final int status_cancelled = 0x7f070016;
    public static final int status_decoding = 0x7f070017;
    public static final int status_done = 0x7f070018;
    public static final int status_draw = 0x7f070019;
    public static final int status_empty = 0x7f07001a;
    public static final int status_exported = 0x7f07001b;
    public static final int status_exporting = 0x7f07001c;
    public static final int status_loading_model = 0x7f07001d;
    public static final int status_running = 0x7f07001e;
    public static final int undo = 0x7f07001f;
  }

  public static final class style {
    private style() {}

    public static final int Theme_CropMae = 0x7f080000;
    public static final int Widget_CropMae_Button = 0x7f080001;
    public static final int Widget_CropMae_Row = 0x7f080002;
  }
}
