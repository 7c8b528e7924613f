"""The core's messages in the user's language.

The core raises errors and reports that carry a :class:`aligner_core.messages.Message` (a stable
``code`` and arguments); the CLI prints their English ``str()``, the editor looks the code up
here and shows the translated sentence, worded for the editor (menus, not command-line options).
A message without a code, or with one this file does not know yet, falls back to its English
text, so a new core message is never lost, only untranslated; a test keeps this catalogue and the
core's :data:`~aligner_core.messages.CATALOG` in step.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from aligner_core.messages import Message, Names, message_of


def _build_templates() -> dict[str, str]:
    # literal strings in full translate() calls, so lupdate finds every one
    return {
        # outputs
        "same_as_input": QCoreApplication.translate("CoreMessages", "“{path}” is the same file as the input “{input}”; choose another name."),
        "is_folder": QCoreApplication.translate("CoreMessages", "“{path}” is a folder; give a file name."),
        "not_writable_kind": QCoreApplication.translate("CoreMessages", "“{path}” is a {kind}, not a file; nothing was written."),
        "special_not_allowed": QCoreApplication.translate("CoreMessages", "“{path}” is a {kind}; choose a regular file."),
        "read_only": QCoreApplication.translate("CoreMessages", "“{path}” is read-only; it was not replaced. Make it writable or choose another name."),
        "no_folder": QCoreApplication.translate("CoreMessages", "The folder “{folder}” does not exist."),
        "folder_not_folder": QCoreApplication.translate("CoreMessages", "“{folder}” is not a folder."),
        "folder_not_writable": QCoreApplication.translate("CoreMessages", "Cannot write into the folder “{folder}” (permission denied)."),
        "name_too_long": QCoreApplication.translate("CoreMessages", "The file name “{name}” is too long for its folder ({size} bytes, at most {limit})."),
        # choosing an aligner: the editor's way out is the settings dialog, not a command-line option
        "unknown_aligner": QCoreApplication.translate("CoreMessages", "Unknown aligner “{aligner}”."),
        "sphinx_english_only": QCoreApplication.translate(
            "CoreMessages",
            "The offline aligner knows English only, not “{language}”. Choose Qwen3-ForcedAligner or a CTC model "
            "in Timing → Alignment settings."),
        "qwen3_language_unknown": QCoreApplication.translate(
            "CoreMessages",
            "Qwen3-ForcedAligner does not know “{language}” (it knows {known}). Choose a CTC model for the language "
            "in Timing → Alignment settings."),
        "model_kind_unknown": QCoreApplication.translate(
            "CoreMessages", "Cannot tell which aligner the model “{model}” is for; choose the aligner in Timing → Alignment settings."),
        "model_needed": QCoreApplication.translate(
            "CoreMessages", "No aligner for “{language}” is on this computer yet: {name} can be downloaded once, or use a model folder you have."),
        "no_aligner_for_language": QCoreApplication.translate(
            "CoreMessages",
            "No installed aligner knows “{language}”. Choose a CTC (wav2vec2/MMS) model for the language in "
            "Timing → Alignment settings."),
        "asr_unknown": QCoreApplication.translate("CoreMessages", "Unknown recogniser “{asr}”; choose one of: {choices}."),
        "asr_language_unknown": QCoreApplication.translate(
            "CoreMessages", "{recogniser} does not know “{language}” (it knows {known}). Choose another language or recogniser."),
        "asr_model_missing": QCoreApplication.translate(
            "CoreMessages", "{recogniser} is not downloaded ({model}). Download it, or choose the offline recogniser for a rough English draft."),
        "asr_model_not_found": QCoreApplication.translate(
            "CoreMessages", "There is no {recogniser} model at “{path}”; choose the folder that holds {files}."),
        "asr_model_damaged": QCoreApplication.translate(
            "CoreMessages", "The {recogniser} model at “{path}” cannot be used ({reason}). Download it again or choose another model."),
        "asr_not_installed": QCoreApplication.translate(
            "CoreMessages", "{recogniser} needs the Python package “{package}”, which is not installed. Choose another recogniser."),
        "asr_none_for_language": QCoreApplication.translate(
            "CoreMessages", "No installed recogniser knows “{language}”. Download SenseVoiceSmall or Qwen3-ASR."),
        "asr_no_sound": QCoreApplication.translate("CoreMessages", "“{name}” holds no speech and no sound to transcribe (it is silent)."),
        "asr_no_speech": QCoreApplication.translate("CoreMessages", "No speech was recognised in “{name}”; nothing was transcribed."),
        "asr_music_only": QCoreApplication.translate(
            "CoreMessages", "No speech was recognised in “{name}”, only sound: {events} sound cue(s) were drafted."),
        "asr_rough": QCoreApplication.translate(
            "CoreMessages", "The offline English recogniser makes a rough draft (about {wer}% of its words wrong on read speech); review every line."),
        "asr_not_aligned": QCoreApplication.translate(
            "CoreMessages", "The draft keeps the recogniser's own times: it could not be aligned ({reason})."),
        "asr_aligner_found_none": QCoreApplication.translate(
            "CoreMessages", "the aligner ({aligner}) found none of the {words} words in the audio"),
        "stage_asr_loading": QCoreApplication.translate("CoreMessages", "Loading the recogniser"),
        "stage_asr_finding": QCoreApplication.translate("CoreMessages", "Finding speech"),
        "stage_asr_recognising": QCoreApplication.translate("CoreMessages", "Recognising speech"),
        "stage_asr_done": QCoreApplication.translate("CoreMessages", "Transcribed"),
        # alignment's, decoding's and learning's stages: the CLI's terse ones ("viterbi", "emissions") said plainly
        "stage_starting": QCoreApplication.translate("CoreMessages", "Starting"),
        "stage_decoding": QCoreApplication.translate("CoreMessages", "Decoding audio"),
        "stage_remixing": QCoreApplication.translate("CoreMessages", "Re-mixing audio"),
        "stage_loading_aligner": QCoreApplication.translate("CoreMessages", "Loading the aligner"),
        "stage_aligning_with": QCoreApplication.translate("CoreMessages", "Aligning words ({backend})"),
        "stage_aligning_again": QCoreApplication.translate("CoreMessages", "Aligning words again (wider search)"),
        "stage_pronunciations": QCoreApplication.translate("CoreMessages", "Preparing pronunciations"),
        "stage_checking_doubtful": QCoreApplication.translate("CoreMessages", "Checking doubtful words"),
        "stage_aligning_words": QCoreApplication.translate("CoreMessages", "Aligning words"),
        "stage_finding_transcript": QCoreApplication.translate("CoreMessages", "Finding the transcript in the audio"),
        "stage_finding_pauses": QCoreApplication.translate("CoreMessages", "Finding pauses"),
        "stage_placing_words": QCoreApplication.translate("CoreMessages", "Placing words"),
        "stage_viterbi": QCoreApplication.translate("CoreMessages", "Finding the best path"),
        "stage_loading_model": QCoreApplication.translate("CoreMessages", "Loading the model"),
        "stage_emissions": QCoreApplication.translate("CoreMessages", "Listening to the audio"),
        "stage_model_aligning": QCoreApplication.translate("CoreMessages", "Aligning words"),
        "stage_model_aligned": QCoreApplication.translate("CoreMessages", "Aligned"),
        "stage_downloading_model": QCoreApplication.translate("CoreMessages", "Downloading the model"),
        "stage_aligned": QCoreApplication.translate("CoreMessages", "Aligned"),
        "stage_learn_loading": QCoreApplication.translate("CoreMessages", "Loading the base model"),
        "stage_learn_training": QCoreApplication.translate("CoreMessages", "Training: step {step}/{total}, loss {loss:.3f}, about {left} left"),
        "stage_learn_saving": QCoreApplication.translate("CoreMessages", "Saving the adapter"),
        "stage_learn_merging": QCoreApplication.translate("CoreMessages", "Merging"),
        "stage_learn_measuring": QCoreApplication.translate("CoreMessages", "Measuring before and after"),
        "stage_learn_segment": QCoreApplication.translate("CoreMessages", "Aligning segment {number} of {count}"),
        "stage_learn_done": QCoreApplication.translate("CoreMessages", "Done"),
        "asr_summary": QCoreApplication.translate(
            "CoreMessages", "{words} words drafted in {segments} segment(s), {events} sound cue(s), {low_confidence} to review ({recogniser})"),
        # reading a transcript
        "transcript_missing": QCoreApplication.translate("CoreMessages", "The transcript file “{name}” does not exist."),
        "transcript_unreadable": QCoreApplication.translate("CoreMessages", "The transcript file “{name}” could not be read ({reason})."),
        "transcript_folder": QCoreApplication.translate("CoreMessages", "“{name}” is a folder, not a transcript file."),
        "transcript_not_regular": QCoreApplication.translate("CoreMessages", "“{name}” is not a regular file (a device, pipe or socket); it cannot be a transcript."),
        "transcript_too_large": QCoreApplication.translate("CoreMessages", "“{name}” is too large to be a transcript (over {limit_mb} MB)."),
        "transcript_wrong_kind": QCoreApplication.translate("CoreMessages", "“{name}” is not a plain-text transcript; save the transcript as a .txt file."),
        "transcript_binary": QCoreApplication.translate("CoreMessages", "“{name}” contains binary data, not text."),
        "transcript_encoding": QCoreApplication.translate(
            "CoreMessages", "“{name}” is not UTF-8 and its text encoding could not be recognised; save it as UTF-8."),
        "transcript_bad_bom": QCoreApplication.translate(
            "CoreMessages", "“{name}” starts with a {encoding} byte-order mark but is not valid {encoding} text."),
        "transcript_no_words": QCoreApplication.translate("CoreMessages", "The transcript “{name}” has no words to align."),
        # edits the document refuses
        "edit_internal": QCoreApplication.translate("CoreMessages", "This change could not be made because of a program error; please report it."),
        "edit_breaks_order": QCoreApplication.translate(
            "CoreMessages", "This change would put words or cues out of order or outside the recording, so it was not made."),
        "edit_boundary_unaligned": QCoreApplication.translate("CoreMessages", "Both words must be aligned to move the boundary between them."),
        "edit_boundary_outside": QCoreApplication.translate("CoreMessages", "The boundary must stay between {start} and {end} ms."),
        "edit_empty_word": QCoreApplication.translate("CoreMessages", "A word cannot be empty; delete it instead."),
        "edit_split_outside": QCoreApplication.translate("CoreMessages", "A cue can only be split between its words."),
        # cue editing and annotation tiers
        "edit_cue_exists": QCoreApplication.translate("CoreMessages", "Words {first}–{last} are already a cue of their own."),
        "edit_cue_no_words": QCoreApplication.translate("CoreMessages", "There are no words in the selected stretch; give a label to make a sound cue there."),
        "edit_sound_inside_cue": QCoreApplication.translate("CoreMessages", "The stretch lies between the words of cue {number}; split that cue first."),
        "edit_sound_overlaps": QCoreApplication.translate("CoreMessages", "The stretch overlaps cue {number}."),
        "tier_name_bad": QCoreApplication.translate("CoreMessages", "A tier needs a name without a line break or spaces at its ends."),
        "tier_name_reserved": QCoreApplication.translate("CoreMessages", "“{name}” is the name of the words’, phones’ or cues’ tier; choose another."),
        "tier_name_taken": QCoreApplication.translate("CoreMessages", "There is already a tier named “{name}”."),
        "tier_interval_empty": QCoreApplication.translate("CoreMessages", "An interval needs a start before its end."),
        "tier_item_outside": QCoreApplication.translate("CoreMessages", "{start}–{end} ms lies outside the audio."),
        "tier_item_overlaps": QCoreApplication.translate("CoreMessages", "{start}–{end} ms overlaps another item of tier “{tier}”."),
        # find and replace, the clipboard, spelling
        "replace_empty_pattern": QCoreApplication.translate("CoreMessages", "There is nothing to find."),
        "replace_bad_pattern": QCoreApplication.translate("CoreMessages", "The regular expression is not valid at character {position}."),
        "replace_bad_replacement": QCoreApplication.translate("CoreMessages", "The replacement names a group the pattern does not have."),
        "replace_bad_range": QCoreApplication.translate("CoreMessages", "Words {first} to {last} do not exist."),
        "clipboard_bad_payload": QCoreApplication.translate("CoreMessages", "The clipboard does not hold words Wordsync can paste."),
        "spelling_no_spylls": QCoreApplication.translate("CoreMessages", "Spell checking is missing: the spylls package is not installed."),
        "spelling_no_dictionary": QCoreApplication.translate(
            "CoreMessages", "Spell checking is missing: no dictionary for “{language}” (install hunspell-{language} or put {language}.dic and {language}.aff in {folder})."),
        "spelling_bad_dictionary": QCoreApplication.translate("CoreMessages", "The spelling dictionary “{path}” could not be read."),
        # reading audio
        "audio_missing": QCoreApplication.translate("CoreMessages", "The file “{path}” does not exist."),
        "audio_unreadable": QCoreApplication.translate("CoreMessages", "“{path}” could not be read ({reason})."),
        "audio_folder": QCoreApplication.translate("CoreMessages", "“{path}” is a folder, not an audio or video file."),
        "audio_not_regular": QCoreApplication.translate("CoreMessages", "“{path}” is a {kind}, not an audio or video file."),
        "audio_permission": QCoreApplication.translate("CoreMessages", "“{path}” could not be read (permission denied)."),
        "audio_zero_bytes": QCoreApplication.translate("CoreMessages", "“{path}” is empty (0 bytes)."),
        "audio_undecodable": QCoreApplication.translate("CoreMessages", "“{path}” could not be decoded: it is not a supported audio or video file, or it is damaged."),
        "audio_empty": QCoreApplication.translate("CoreMessages", "“{path}” contains no audio samples."),
        "audio_damaged_start": QCoreApplication.translate("CoreMessages", "“{path}” could not be decoded: it is damaged near its start."),
        "audio_no_track": QCoreApplication.translate("CoreMessages", "“{path}” has no audio track."),
        "video_undecodable": QCoreApplication.translate("CoreMessages", "The picture of “{name}” could not be decoded; its sound is not affected."),
        "audio_codec": QCoreApplication.translate("CoreMessages", "“{path}” uses an audio codec that cannot be decoded."),
        "audio_bad_rate": QCoreApplication.translate("CoreMessages", "“{path}” claims a sample rate of {rate} Hz, below any real recording; its header is damaged."),
        # the project file
        "project_too_new": QCoreApplication.translate("CoreMessages", "This project was saved by a newer Wordsync (format {version}); this version reads up to format {supported}. Update Wordsync to open it."),
        "project_unsaveable": QCoreApplication.translate("CoreMessages", "The project cannot be saved: it holds data a project file cannot represent. This is a program error; please report it."),
        "project_too_large": QCoreApplication.translate("CoreMessages", "The file is larger than {limit_mib} MiB, too large to be a Wordsync project."),
        "project_empty": QCoreApplication.translate("CoreMessages", "The project file is empty."),
        "project_not_utf8": QCoreApplication.translate("CoreMessages", "The project file is not UTF-8 text, so it is damaged or not a Wordsync project."),
        "project_truncated": QCoreApplication.translate("CoreMessages", "The project file is cut off: it ends in the middle of its data."),
        "project_bad_json": QCoreApplication.translate("CoreMessages", "The project file is damaged: it is not valid JSON (line {line}, column {column})."),
        "project_too_deep": QCoreApplication.translate("CoreMessages", "The project file is not a Wordsync project: its data is nested far too deeply."),
        "project_bad_value": QCoreApplication.translate("CoreMessages", "The project file holds a number JSON does not allow (such as NaN or Infinity)."),
        "project_not_wordsync": QCoreApplication.translate("CoreMessages", "This file is not a Wordsync project."),
        "project_no_version": QCoreApplication.translate("CoreMessages", "The project file has no valid format version."),
        "project_wrong_type": QCoreApplication.translate("CoreMessages", "The project file is damaged: “{where}” holds the wrong kind of value."),
        "project_missing": QCoreApplication.translate("CoreMessages", "The project file is damaged: “{where}” is missing."),
        "project_nul": QCoreApplication.translate("CoreMessages", "The project file is damaged: “{where}” contains a NUL character."),
        "project_absolute_path": QCoreApplication.translate("CoreMessages", "The project file is damaged: “{where}” must be a relative path."),
        "project_column_length": QCoreApplication.translate("CoreMessages", "The project file is damaged: the lists in “{where}” have different lengths."),
        "project_inconsistent": QCoreApplication.translate("CoreMessages", "The project file is damaged: its words, times and cues contradict each other."),
        "project_out_of_range": QCoreApplication.translate("CoreMessages", "The project file is damaged: “{where}” is out of range."),
        # autosave and crash recovery: shown after "Autosave failed:"
        "autosave_closed": QCoreApplication.translate("CoreMessages", "autosaving has already stopped in this window."),
        "autosave_session_exists": QCoreApplication.translate("CoreMessages", "another Wordsync window already uses the autosave session “{session}”."),
        "autosave_cannot_lock": QCoreApplication.translate("CoreMessages", "the autosave lock file “{path}” cannot be locked."),
        # reading subtitle and timing files
        "format_unknown": QCoreApplication.translate("CoreMessages", "Unknown format “{name}”; known formats: {choices}."),
        "format_unknown_suffix": QCoreApplication.translate("CoreMessages", "Cannot tell the format of “{path}” from its name; choose a format ({choices})."),
        "format_no_subtitles": QCoreApplication.translate("CoreMessages", "{label} files hold no subtitles."),
        "format_no_words": QCoreApplication.translate("CoreMessages", "{label} files hold no word timings."),
        "format_not_utf8": QCoreApplication.translate("CoreMessages", "The file is not UTF-8 text (byte {byte}); save it as UTF-8."),
        "format_inconsistent": QCoreApplication.translate("CoreMessages", "The file describes times that contradict each other ({details})."),
        "ass_no_section": QCoreApplication.translate("CoreMessages", "This is not an ASS/SSA file: it does not start with a section such as [Script Info]."),
        "ass_not_key_value": QCoreApplication.translate("CoreMessages", "This line should read “Key: value” but reads “{found}”."),
        "ass_format_line": QCoreApplication.translate("CoreMessages", "The [Events] Format line must name Start, End and Text."),
        "ass_dialogue_fields": QCoreApplication.translate("CoreMessages", "A Dialogue line needs {need} fields but has {found}."),
        "ass_bad_time": QCoreApplication.translate("CoreMessages", "The time “{time}” cannot be read."),
        "ass_no_sections": QCoreApplication.translate("CoreMessages", "This is not an ASS/SSA file: it has no [Script Info] or [Events] section."),
        "srt_bad_timing": QCoreApplication.translate("CoreMessages", "The timing line “{found}” cannot be read."),
        "srt_expected_timing": QCoreApplication.translate("CoreMessages", "A timing line should follow the subtitle number, but the file has “{found}”."),
        "srt_expected_number": QCoreApplication.translate("CoreMessages", "A subtitle number or a timing line should be here, but the file has “{found}”."),
        "srt_number_alone": QCoreApplication.translate("CoreMessages", "A subtitle number has no timing line after it."),
        "vtt_no_header": QCoreApplication.translate("CoreMessages", "A WebVTT file must start with “WEBVTT”."),
        "vtt_expected_timing": QCoreApplication.translate("CoreMessages", "A cue timing line should be here, but the file has “{found}”."),
        "vtt_bad_timing": QCoreApplication.translate("CoreMessages", "The cue timing line “{found}” cannot be read."),
        "textgrid_open_string": QCoreApplication.translate("CoreMessages", "A quoted text is never closed (a quotation mark is missing)."),
        "textgrid_ends_early": QCoreApplication.translate("CoreMessages", "The TextGrid ends too early; it is cut off."),
        "textgrid_expected": QCoreApplication.translate("CoreMessages", "The TextGrid has something else here ({found}) than it should."),
        "textgrid_not_finite": QCoreApplication.translate("CoreMessages", "A number here is not finite."),
        "textgrid_not_whole": QCoreApplication.translate("CoreMessages", "A count here must be a whole number, not {value:g}."),
        "textgrid_binary": QCoreApplication.translate("CoreMessages", "Binary TextGrids cannot be read; save it as a text file in Praat."),
        "textgrid_no_header": QCoreApplication.translate("CoreMessages", "This is not a Praat TextGrid: it does not start with File type = “ooTextFile”."),
        "textgrid_file_type": QCoreApplication.translate("CoreMessages", "This is not a Praat text file (its file type is “{type}”)."),
        "textgrid_object_class": QCoreApplication.translate("CoreMessages", "This Praat file is not a TextGrid (its object class is “{cls}”)."),
        "textgrid_interval_reversed": QCoreApplication.translate("CoreMessages", "An interval ends before it starts ({start} > {end} ms)."),
        "textgrid_interval_overlap": QCoreApplication.translate("CoreMessages", "An interval overlaps the previous one in the tier “{tier}”."),
        "textgrid_tier_class": QCoreApplication.translate("CoreMessages", "The tier class “{tier_class}” is unknown."),
        "json_time": QCoreApplication.translate("CoreMessages", "{where} must be a number of seconds or null, not {found}."),
        "json_word_object": QCoreApplication.translate("CoreMessages", "{where} must be an object with word, start and end, not {found}."),
        "json_no_word": QCoreApplication.translate("CoreMessages", "{where} has no “word”."),
        "json_not_string": QCoreApplication.translate("CoreMessages", "{where} must be text."),
        "json_confidence": QCoreApplication.translate("CoreMessages", "{where} must be a number or null."),
        "json_cue_object": QCoreApplication.translate("CoreMessages", "{where} must be an object with start, end and text."),
        "json_cue_times": QCoreApplication.translate("CoreMessages", "{where} needs a start and an end."),
        "json_not_list": QCoreApplication.translate("CoreMessages", "“{where}” must be a list."),
        "json_invalid": QCoreApplication.translate("CoreMessages", "This is not valid JSON (column {column})."),
        "json_too_deep": QCoreApplication.translate("CoreMessages", "The JSON is nested far too deeply to be word timings."),
        "json_not_object": QCoreApplication.translate("CoreMessages", "The JSON should be an object with “words” (or a list of words)."),
        "json_no_words": QCoreApplication.translate("CoreMessages", "The JSON object has no “words” (nor “cues” or “segments”)."),
        # where a problem lies (export) and what fixing did about it
        "at_path_line": QCoreApplication.translate("CoreMessages", "“{path}”, line {line}: {detail}"),
        "at_path": QCoreApplication.translate("CoreMessages", "“{path}”: {detail}"),
        "at_line": QCoreApplication.translate("CoreMessages", "Line {line}: {detail}"),
        "at_cue": QCoreApplication.translate("CoreMessages", "Cue {cue}: {reason}"),
        "at_word": QCoreApplication.translate("CoreMessages", "Word {word}: {reason}"),
        "with_action": QCoreApplication.translate("CoreMessages", "{reason} ({action})"),
        # cue rules: about one cue, so they read well in its tooltip and after "Cue 3:"
        "cue_no_text": QCoreApplication.translate("CoreMessages", "The cue has no text"),
        "cue_no_times": QCoreApplication.translate("CoreMessages", "None of its words is aligned, so the cue has no times"),
        "cue_lines": QCoreApplication.translate("CoreMessages", "{count} lines (at most {limit})"),
        "cue_line_length": QCoreApplication.translate("CoreMessages", "Line {line} has {chars} characters (at most {limit})"),
        "cue_too_short": QCoreApplication.translate("CoreMessages", "On screen for {seconds:.2f} s (at least {limit_seconds:.2f} s)"),
        "cue_too_long": QCoreApplication.translate("CoreMessages", "On screen for {seconds:.2f} s (at most {limit_seconds:.2f} s)"),
        "cue_cps": QCoreApplication.translate("CoreMessages", "Reads at {cps:.1f} characters per second (at most {limit:g})"),
        "cue_overlap": QCoreApplication.translate("CoreMessages", "Overlaps the previous cue by {ms} ms"),
        "cue_gap": QCoreApplication.translate("CoreMessages", "Starts {ms} ms after the previous cue (at least {limit} ms)"),
        # what export noticed
        "export_line_break": QCoreApplication.translate("CoreMessages", "A word contains a line break"),
        "export_empty_line": QCoreApplication.translate("CoreMessages", "Has an empty line, which would end the subtitle early"),
        "export_zero_length": QCoreApplication.translate("CoreMessages", "Lasts no time at all"),
        "export_ends_before_start": QCoreApplication.translate("CoreMessages", "Ends before it starts ({start} > {end} ms)"),
        "export_ends_before_zero": QCoreApplication.translate("CoreMessages", "Ends before 0 after the {offset} ms offset ({end} ms)"),
        "export_starts_before_zero": QCoreApplication.translate("CoreMessages", "Starts before 0 after the offset ({start} ms)"),
        "export_overlaps": QCoreApplication.translate("CoreMessages", "Overlaps cue {other} by {ms} ms"),
        "export_words_outside": QCoreApplication.translate("CoreMessages", "{count} word(s) are in no cue and are not exported: {ranges}"),
        "export_words_clamped": QCoreApplication.translate(
            "CoreMessages", "{count} word(s) start before 0 after the offset and were moved to 0: {ranges}"),
        "export_timing_lookalike": QCoreApplication.translate(
            "CoreMessages", "The line “{line}” looks like a timing line; players may misread the file"),
        "export_tags_dropped": QCoreApplication.translate("CoreMessages", "{count} formatting tag(s) that {format} cannot show were left out"),
        "export_cues_made": QCoreApplication.translate("CoreMessages", "The document had no cues; {count} were made with the “{profile}” rules"),
        "export_no_karaoke": QCoreApplication.translate("CoreMessages", "{format} has no karaoke timing; exported without it"),
        "export_position_dropped": QCoreApplication.translate("CoreMessages", "{count} cue position(s) left out: {format} cannot place a subtitle at a point (the alignment is kept)."),
        "export_karaoke_untimed": QCoreApplication.translate(
            "CoreMessages", "{count} word(s) without times share the previous word’s karaoke syllable"),
        "export_tier_untimed": QCoreApplication.translate(
            "CoreMessages", "{count} word(s) have no times and are only in the cue tier’s text: {ranges}"),
        "export_tier_zero": QCoreApplication.translate(
            "CoreMessages", "{count} word(s) last 0 ms, which a TextGrid cannot hold; they are only in the cue tier’s text: {ranges}"),
        "export_tier_overlapping": QCoreApplication.translate(
            "CoreMessages", "{count} word(s) overlap the previous word and were left out of the word tier: {ranges}"),
        "export_tier_inside": QCoreApplication.translate("CoreMessages", "Lies inside the previous cue and cannot be an interval of its own"),
        "export_tier_overlap_cue": QCoreApplication.translate("CoreMessages", "Overlaps the previous cue; its interval starts at {start} ms"),
        "export_empty": QCoreApplication.translate("CoreMessages", "The document is empty: there is nothing to export as {format}."),
        "export_no_cues": QCoreApplication.translate(
            "CoreMessages", "The document has no cues yet: make cues with Timing → Re-segment cues before exporting {format}."),
        "export_only_sound": QCoreApplication.translate(
            "CoreMessages", "Every cue is a sound cue such as [music], and sound cues are left out: there is nothing to export as {format}."),
        "action_space": QCoreApplication.translate("CoreMessages", "replaced by a space"),
        "action_dropped": QCoreApplication.translate("CoreMessages", "left out of the file"),
        "action_line_removed": QCoreApplication.translate("CoreMessages", "empty line removed"),
        "action_end_set": QCoreApplication.translate("CoreMessages", "end set to {end} ms"),
        "action_start_clamped": QCoreApplication.translate("CoreMessages", "start moved to 0"),
        "action_left_out": QCoreApplication.translate("CoreMessages", "left out"),
        # what decoding worked around
        "damaged_after": QCoreApplication.translate("CoreMessages", "“{path}” is damaged after {seconds:.1f} s; the rest was skipped."),
        "ended_early": QCoreApplication.translate("CoreMessages", "“{path}” ended after {seconds:.1f} s, before the {announced:.1f} s its header announces."),
        "stopped_at_damage": QCoreApplication.translate("CoreMessages", "“{path}” is damaged or cut off; decoding stopped there."),
        "bad_packets": QCoreApplication.translate("CoreMessages", "“{path}” has {count} damaged audio packet(s) that were skipped."),
        "not_numbers": QCoreApplication.translate(
            "CoreMessages", "“{path}” has {count} sample(s) that are not numbers; they were replaced by silence."),
        "absurd_spikes": QCoreApplication.translate(
            "CoreMessages", "“{path}” has {count} sample(s) of absurd size (up to {peak:.3g} times full scale); they were replaced by silence."),
        "rescaled": QCoreApplication.translate(
            "CoreMessages", "“{path}” holds samples up to {peak:.3g} times full scale; it was scaled down by {factor:.3g}."),
        "channels_cancel": QCoreApplication.translate(
            "CoreMessages", "The {channels} channels of “{path}” cancel out when mixed to mono (one is phase-inverted), so channel {channel} alone was used."),
        # the HTTP API (wordsync serve)
        "serve_unauthorized": QCoreApplication.translate("CoreMessages", "This server needs the header “Authorization: Bearer <token>” with its token."),
        "serve_needs_token": QCoreApplication.translate("CoreMessages", "Serving on “{host}”, an address other computers can reach, needs --token TOKEN."),
        "serve_too_large": QCoreApplication.translate("CoreMessages", "The request is larger than this server’s upload limit of {limit_mb:g} MB."),
        "serve_too_long": QCoreApplication.translate("CoreMessages", "The uploaded “{name}” lasts {minutes:.1f} minutes, longer than this server’s limit of {limit:g} minutes."),
        "serve_not_audio": QCoreApplication.translate("CoreMessages", "The uploaded “{name}” is not audio or video this server can decode ({reason})."),
        "serve_empty_upload": QCoreApplication.translate("CoreMessages", "The uploaded {field} “{name}” is empty."),
        "serve_bad_transcript": QCoreApplication.translate("CoreMessages", "The uploaded transcript “{name}” cannot be aligned: {reason}."),
        "serve_nothing_aligned": QCoreApplication.translate("CoreMessages", "No word of “{transcript}” could be found in “{audio}”; is it silent, or another recording?"),
        "serve_missing_field": QCoreApplication.translate("CoreMessages", "The form field “{field}” is missing."),
        "serve_bad_field": QCoreApplication.translate("CoreMessages", "The field “{field}” is not valid: {reason}."),
        "serve_unknown_format": QCoreApplication.translate("CoreMessages", "Unknown format “{format}”; choose one of: {choices}."),
        "serve_unknown_job": QCoreApplication.translate("CoreMessages", "There is no job “{id}”: it never existed, was deleted or expired."),
        "serve_not_ready": QCoreApplication.translate("CoreMessages", "The job “{id}” is {status}; it has no result to give."),
        "serve_no_route": QCoreApplication.translate("CoreMessages", "There is nothing at “{path}”; the API is described at /docs."),
        "serve_bad_method": QCoreApplication.translate("CoreMessages", "“{path}” does not take {method} requests; the API is described at /docs."),
        "serve_cancelled": QCoreApplication.translate("CoreMessages", "The job was cancelled before it finished."),
        "serve_interrupted": QCoreApplication.translate("CoreMessages", "The server stopped while this job was running; submit it again."),
        "serve_transcribe_failed": QCoreApplication.translate("CoreMessages", "The audio could not be transcribed: {reason}."),
        "summary": QCoreApplication.translate(
            "CoreMessages", "{aligned} of {words} words aligned, {not_aligned} not aligned, {low_confidence} low confidence ({aligner}, {speed}× real time)"),
        "learn_no_verified": QCoreApplication.translate("CoreMessages", "No word of {projects} is verified: lock the words whose times you corrected, then try again."),
        "learn_audio_missing": QCoreApplication.translate("CoreMessages", "The audio of the project “{project}” is not at “{path}”; open the project and locate it."),
        "learn_audio_changed": QCoreApplication.translate("CoreMessages", "The audio file “{path}” of the project “{project}” is not the recording it was timed on; locate the right one."),
        "learn_no_audio": QCoreApplication.translate("CoreMessages", "The project “{project}” has no audio file, so its words cannot teach an aligner."),
        "learn_language_mixed": QCoreApplication.translate("CoreMessages", "The project “{project}” is in “{language}”, the others in “{expected}”; use one language per training set."),
        "learn_not_project": QCoreApplication.translate("CoreMessages", "“{path}” is not a Wordsync project ({reason})."),
        "learn_bad_dataset": QCoreApplication.translate("CoreMessages", "“{path}” line {line} is not a training segment: {reason}."),
        "learn_empty_dataset": QCoreApplication.translate("CoreMessages", "“{path}” holds no training segment with a verified word."),
        "learn_needs_peft": QCoreApplication.translate("CoreMessages", "Fine-tuning needs the Python package “peft” (pip install 'wordsync[finetune]')."),
        "learn_bad_adaptation": QCoreApplication.translate("CoreMessages", "“{path}” is not a usable aligner adaptation ({reason}); build it again."),
        "learn_gold_missing": QCoreApplication.translate("CoreMessages", "There are no gold word times for “{name}” in “{gold}” (expected “{expected}”)."),
        "learn_no_transcript": QCoreApplication.translate("CoreMessages", "The audio file “{name}” has no transcript next to it (“{expected}”)."),
    }


def _kind(name: str) -> str:
    kinds = {
        "folder": QCoreApplication.translate("CoreMessages", "folder"),
        "character device": QCoreApplication.translate("CoreMessages", "device"),
        "block device": QCoreApplication.translate("CoreMessages", "disk device"),
        "named pipe (FIFO)": QCoreApplication.translate("CoreMessages", "named pipe"),
        "socket": QCoreApplication.translate("CoreMessages", "socket"),
    }
    return kinds.get(name, QCoreApplication.translate("CoreMessages", "special file"))


def _name(value: object) -> str:
    """A path as people read it in a dialog: the file's name (a folder keeps its whole path)."""
    text = os.fspath(value) if isinstance(value, (str, os.PathLike)) else str(value)
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":  # quoted by the core's English
        text = text[1:-1]
    return Path(text).name or text


def _names(names: Names) -> str:
    """Several names, each in the interface language's quotes, in its list separator."""
    quoted = QCoreApplication.translate("CoreMessages", "“{0}”", "one name in a list of names")
    separator = QCoreApplication.translate("CoreMessages", ", ", "between names in a list")
    return separator.join(quoted.format(name) for name in names)


_cache: dict[str, str] | None = None


def _templates() -> dict[str, str]:
    """The catalogue in the current interface language, built once per language (an export's
    problem list may say thousands of messages)."""
    global _cache
    if _cache is None:
        _cache = _build_templates()
    return _cache


def forget_translations() -> None:
    """Called when the translators change: the next message is worded in the new language."""
    global _cache
    _cache = None


def known_codes() -> set[str]:
    return set(_build_templates())


def localize(message: Message) -> str:
    """A core :class:`Message` in the interface language (English text for an unknown code)."""
    template = _templates().get(message.code)
    if template is None:
        return str(message)
    args = {key: localize(value) if isinstance(value, Message) else value for key, value in message.args.items()}
    for key in ("ms", "limit_ms"):  # durations on screen read better in seconds
        if isinstance(args.get(key), (int, float)):
            args[key.replace("ms", "seconds")] = args[key] / 1000
    for key in ("path", "input"):
        if key in args:
            args[key] = _name(args[key])
    for key, value in args.items():
        if isinstance(value, Names):
            args[key] = _names(value)
    if "kind" in args:
        args["kind"] = _kind(str(args["kind"]))
    if "speed" in args:
        args["speed"] = f"{float(args['speed']):.0f}"
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):  # a translation naming a field the core did not send
        return str(message)


def _os_reasons() -> dict[int, str]:
    # the system's own strerror() is English whatever the interface language
    return {
        errno.ENOENT: QCoreApplication.translate("CoreMessages", "the file does not exist"),
        errno.EACCES: QCoreApplication.translate("CoreMessages", "permission denied"),
        errno.EPERM: QCoreApplication.translate("CoreMessages", "permission denied"),
        errno.EISDIR: QCoreApplication.translate("CoreMessages", "it is a folder"),
        errno.ENOTDIR: QCoreApplication.translate("CoreMessages", "a part of the path is not a folder"),
        errno.ENOSPC: QCoreApplication.translate("CoreMessages", "the disk is full"),
        errno.EROFS: QCoreApplication.translate("CoreMessages", "the disk is read-only"),
        errno.EIO: QCoreApplication.translate("CoreMessages", "the disk could not be read or written (input/output error)"),
        errno.ENAMETOOLONG: QCoreApplication.translate("CoreMessages", "the file name is too long"),
        errno.ELOOP: QCoreApplication.translate("CoreMessages", "the path loops through symbolic links"),
        errno.EBUSY: QCoreApplication.translate("CoreMessages", "the file is in use"),
    }


def core_message(exc: BaseException) -> str:
    """The sentence to show for a core error: translated when it carries a Message; an
    ``OSError`` gives its reason (translated where the system's error number is a known one)."""
    message = message_of(exc)
    if message is not None:
        return localize(message)
    if isinstance(exc, OSError) and exc.errno is not None:
        reason = _os_reasons().get(exc.errno)
        return reason if reason is not None else (exc.strerror or str(exc))
    return str(exc)


def as_message(item: object) -> Message | None:
    """A core report item as a Message: a Message itself, or a str that carries a code (warnings)."""
    if isinstance(item, Message):
        return item
    as_message = getattr(item, "as_message", None)  # a Problem, or an error that knows its place
    if callable(as_message):
        return as_message()
    code, args = getattr(item, "code", None), getattr(item, "args_dict", None)
    if isinstance(code, str) and isinstance(args, dict):
        return Message(code, args)
    return None


def say(item: object) -> str:
    """Any core report item (a Message, a coded warning, plain text) in the interface language;
    one whose code the editor does not know yet keeps its English sentence."""
    message = as_message(item)
    if message is None and isinstance(item, BaseException):
        message = message_of(item)
    if message is None or message.code not in _templates():
        return str(item)
    return localize(message)


def summary_text(summary) -> str:
    """An alignment summary (:class:`aligner_core.align.api.AlignmentSummary`) for the status bar."""
    head = localize(Message("summary", {
        "aligned": summary.aligned, "words": summary.words, "not_aligned": summary.not_aligned,
        "low_confidence": summary.low_confidence, "aligner": summary.aligner, "rtf": summary.rtf, "speed": summary.speed,
    }))
    return " ".join([head, *(say(w) for w in summary.warnings)])
