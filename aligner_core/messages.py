"""Messages are data until they reach a person.

The core says things to people through errors and reports. Each such sentence is a
:class:`Message`: a stable ``code`` and its arguments. ``str(message)`` is the English sentence
(what the CLI prints and what the exception's ``str()`` gives), while the editor looks the code
up in its own translated catalogue (``desktop/messages.py``) and shows the user's language.

An exception carries its message as its only argument, so existing code keeps working::

    raise AlignmentError(msg("sphinx_english_only", language="zh"))
    str(exc)          # "The offline aligner (sphinx) only knows English, not 'zh'; ..."
    message_of(exc)   # Message("sphinx_english_only", {"language": "zh"})

An argument may itself be a Message (a reason inside a sentence about a file); it is rendered in
the same language as the sentence around it.

Messages written as plain strings still work (the editor then shows their English); a test keeps
the editor's catalogue in step with :data:`CATALOG`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

#: code -> the English template (``str.format`` fields). The CLI's wording: it names options.
CATALOG: dict[str, str] = {
    # outputs (aligner_core/outputs.py)
    "same_as_input": "{path!r} is the same file as the input {input!r}; choose another output name",
    "is_folder": "{path!r} is a folder; give a file name",
    "not_writable_kind": "{path!r} is a {kind}, not a file; it is not written",
    "special_not_allowed": "{path!r} is a {kind}; choose a regular file",
    "read_only": "{path!r} is read-only; it is not replaced (make it writable or choose another name)",
    "no_folder": "the output folder {folder!r} does not exist",
    "folder_not_folder": "{folder!r} is not a folder",
    "folder_not_writable": "cannot write into the folder {folder!r} (permission denied)",
    "name_too_long": "the file name {name!r} is too long for its folder ({size} bytes, at most {limit})",
    # choosing an aligner (aligner_core/align/registry.py)
    "unknown_aligner": "Unknown aligner {aligner!r}; choose one of: {choices}.",
    "sphinx_english_only": (
        "The offline aligner (sphinx) only knows English, not {language!r}; "
        "use --aligner qwen3 (Qwen3-ForcedAligner) or --aligner ctc --model PATH."
    ),
    "qwen3_language_unknown": (
        "Qwen3-ForcedAligner does not know {language!r} (it knows {known}); "
        "use --aligner ctc --model PATH with a wav2vec2/MMS model for the language."
    ),
    "model_kind_unknown": "Cannot tell which aligner the model {model!r} is for; add --aligner qwen3 or --aligner ctc.",
    "model_needed": (
        "No aligner for {language!r} is installed: download {name} (run with --aligner qwen3 while online, "
        "or `hf download {model}`), or pass --aligner ctc --model PATH with a wav2vec2/MMS model for the language."
    ),
    "no_aligner_for_language": (
        "No installed aligner knows {language!r}: pass --aligner ctc --model PATH with a wav2vec2/MMS "
        "CTC model for the language (Qwen3-ForcedAligner and the offline aligner do not cover it)."
    ),
    # transcription (aligner_core/transcribe/)
    "asr_unknown": "Unknown recogniser {asr!r}; choose one of: {choices}.",
    "asr_language_unknown": "{recogniser} does not know {language!r} (it knows {known}); use --language auto or another recogniser with --asr.",
    "asr_model_missing": "{recogniser} is not downloaded; download it (`{command}`) or pass --model PATH, or use --asr sphinx for a rough English draft.",
    "asr_model_not_found": "There is no {recogniser} model at {path!r}; give --model the folder that holds {files}.",
    "asr_model_damaged": "The {recogniser} model at {path!r} cannot be used ({reason}); download it again or pass another --model.",
    "asr_not_installed": "{recogniser} needs the Python package {package!r}; install it (pip install {package}) or choose another recogniser with --asr.",
    "asr_none_for_language": "No installed recogniser knows {language!r}: download SenseVoiceSmall (--asr sensevoice) or Qwen3-ASR (--asr qwen3-asr).",
    "asr_no_sound": "{name!r} holds no speech and no sound to transcribe (it is silent).",
    "asr_no_speech": "No speech was recognised in {name!r}; nothing was transcribed.",
    "asr_music_only": "No speech was recognised in {name!r}, only sound: {events} sound cue(s) were drafted.",
    "asr_rough": "The offline English recogniser (sphinx) makes a rough draft (about {wer}% of its words wrong on read speech); review every line.",
    "asr_not_aligned": "The draft keeps the recogniser's own times: it could not be aligned ({reason}).",
    "asr_aligner_found_none": "the aligner ({aligner}) found none of the {words} words in the audio",
    # transcription's progress stages (aligner_core.progress.Stage)
    "stage_asr_loading": "Loading the recogniser",
    "stage_asr_finding": "Finding speech",
    "stage_asr_recognising": "Recognising speech",
    "stage_asr_done": "Transcribed",
    # alignment's, decoding's and learning's progress stages (Stage): the English the CLI's bar has always shown
    "stage_starting": "Starting",
    "stage_decoding": "Decoding audio",
    "stage_remixing": "Re-mixing audio",
    "stage_loading_aligner": "Loading the aligner",
    "stage_aligning_with": "Aligning words ({backend})",
    "stage_aligning_again": "Aligning words again (wider search)",
    "stage_pronunciations": "Preparing pronunciations",
    "stage_checking_doubtful": "Checking doubtful words",
    "stage_aligning_words": "Aligning words",
    "stage_finding_transcript": "Finding the transcript in the audio",
    "stage_finding_pauses": "Finding pauses",
    "stage_placing_words": "Placing words",
    "stage_viterbi": "viterbi",
    "stage_loading_model": "loading model",
    "stage_emissions": "emissions",
    "stage_model_aligning": "aligning",
    "stage_model_aligned": "aligned",
    "stage_downloading_model": "downloading model",
    "stage_aligned": "Aligned",
    "stage_learn_loading": "loading the base model",
    "stage_learn_training": "training: step {step}/{total}, loss {loss:.3f}, about {left} left",
    "stage_learn_saving": "saving the adapter",
    "stage_learn_merging": "merging",
    "stage_learn_measuring": "measuring before and after",
    "stage_learn_segment": "aligning segment {number} of {count}",
    "stage_learn_done": "done",
    "asr_summary": "{words} words drafted in {segments} segment(s), {events} sound cue(s), {low_confidence} to review ({recogniser}, RTF {rtf:.3f})",
    # what decoding worked around (aligner_core/audio_messages.py); {path} is quoted already
    "damaged_after": "{path} is damaged after {seconds:.1f} s; the rest was skipped.",
    "ended_early": "{path} ended after {seconds:.1f} s, before the {announced:.1f} s its header announces.",
    "stopped_at_damage": "{path} is damaged or cut off; decoding stopped there.",
    "bad_packets": "{path} has {count} damaged audio packet(s) that were skipped.",
    "not_numbers": "{path} has {count} sample(s) that are not numbers (NaN or infinite); they were replaced by silence.",
    "absurd_spikes": "{path} has {count} sample(s) of absurd size (up to {peak:.3g} times full scale); they were replaced by silence.",
    "rescaled": "{path} holds samples up to {peak:.3g} times full scale (a wrong scale); it was scaled down by {factor:.3g}.",
    "channels_cancel": "{path}: its {channels} channels cancel out when mixed to mono (one is phase-inverted), so channel {channel} alone was used.",
    # reading a transcript (aligner_core/text/, transcripts.py); {shown} is '"name"' or "The transcript"
    "transcript_missing": "The transcript file {shown} does not exist.",
    "transcript_unreadable": "The transcript file {shown} could not be read ({reason}).",
    "transcript_folder": "{shown} is a folder, not a transcript file.",
    "transcript_not_regular": "{shown} is {kind}, not a transcript file.",
    "transcript_too_large": "{shown} is too large to be a transcript (over {limit_mb} MB).",
    "transcript_wrong_kind": "{shown} is {what}, not a plain-text transcript; save the transcript as a .txt file.",
    "transcript_binary": "{shown} contains binary data, not text.",
    "transcript_encoding": "{shown} is not UTF-8 and its text encoding could not be recognised; save it as UTF-8.",
    "transcript_bad_bom": "{shown} starts with a {encoding} byte-order mark but is not valid {encoding} text.",
    "transcript_no_words": "The transcript {shown} has no words to align.",
    # reading audio (aligner_core/audio.py); {path} is quoted already
    "audio_missing": "The file {path} does not exist.",
    "audio_unreadable": "{path} could not be read ({reason}).",
    "audio_folder": "{path} is a folder, not an audio or video file.",
    "audio_not_regular": "{path} is a {kind}, not an audio or video file.",
    "audio_permission": "{path} could not be read (permission denied).",
    "audio_zero_bytes": "{path} is empty (0 bytes).",
    "audio_undecodable": "{path} could not be decoded: it is not a supported audio or video file, or it is damaged.",
    "audio_empty": "{path} contains no audio samples (zero length).",
    "audio_damaged_start": "{path} could not be decoded: it is damaged near its start.",
    "audio_no_track": "{path} has no audio track.",
    "audio_codec": "{path} uses an audio codec that cannot be decoded.",
    "audio_bad_rate": "{path} claims a sample rate of {rate} Hz; no recording goes below {minimum} Hz, so its header is damaged.",
    # the video pane (aligner_core/video/frames.py)
    "video_undecodable": "The picture of {name} could not be decoded; its sound is not affected.",
    # the project file (aligner_core/project.py)
    "project_too_new": "This project was saved by a newer Wordsync (format {version}); this version reads up to {supported}.",
    "project_unsaveable": "Cannot save: {detail}.",
    "project_too_large": "The file is larger than {limit_mib} MiB, too large to be a Wordsync project.",
    "project_empty": "The project file is empty.",
    "project_not_utf8": "The project file is not UTF-8 text, so it is damaged or not a Wordsync project.",
    "project_truncated": "The project file is truncated: it ends in the middle of its data.",
    "project_bad_json": "The project file is not valid JSON ({reason} at line {line}, column {column}).",
    "project_too_deep": "The project file is not a Wordsync project: its data is nested far too deeply.",
    "project_bad_value": "The project file holds a value JSON does not allow ({reason}).",
    "project_not_wordsync": "This file is not a Wordsync project.",
    "project_no_version": "The project file has no valid format version.",
    "project_wrong_type": "The project file is invalid: {where} must be {expected}, not {found}.",
    "project_missing": "The project file is invalid: {where} is missing.",
    "project_nul": "The project file is invalid: {where} contains a NUL character.",
    "project_absolute_path": "The project file is invalid: {where} must be a relative path.",
    "project_column_length": "The project file is invalid: {where}.{name} has {count} entries but {where}.{first} has {expected}.",
    "project_inconsistent": "The project file is inconsistent: {details}.",
    "project_out_of_range": "The project file is invalid: {where} is out of range.",
    # autosave and crash recovery (aligner_core/recovery.py); the editor puts them after "Autosave failed:"
    "autosave_closed": "the autosave session is closed",
    "autosave_session_exists": "autosave session {session!r} already exists",
    "autosave_cannot_lock": "cannot lock {path}",
    # reading subtitle and timing files (aligner_core/formats/); FormatError adds the path and line
    "format_unknown": "unknown format {name!r}; known formats: {choices}",
    "format_unknown_suffix": "cannot tell the format of {path!r} from its name; name the format ({choices})",
    "format_no_subtitles": "{label} files hold no subtitles",
    "format_no_words": "{label} files hold no word timings",
    "format_not_utf8": "cannot decode the file as UTF-8 (byte {byte})",
    "format_inconsistent": "the file gives an inconsistent document: {details}",
    "ass_no_section": "not an ASS/SSA file: expected a section such as [Script Info], found {found!r}",
    "ass_not_key_value": "expected 'Key: value', found {found!r}",
    "ass_format_line": "the [Events] Format line must name Start, End and Text",
    "ass_dialogue_fields": "a Dialogue line needs {need} fields, found {found}",
    "ass_bad_time": "cannot read the time {time!r}",
    "ass_no_sections": "not an ASS/SSA file: no [Script Info] or [Events] section",
    "srt_bad_timing": "cannot read the timing line {found!r}",
    "srt_expected_timing": "expected a timing line after the subtitle number, found {found!r}",
    "srt_expected_number": "expected a subtitle number or a timing line, found {found!r}",
    "srt_number_alone": "a subtitle number without a timing line",
    "vtt_no_header": "a WebVTT file must start with 'WEBVTT'",
    "vtt_expected_timing": "expected a cue timing line, found {found!r}",
    "vtt_bad_timing": "cannot read the cue timing line {found!r}",
    "textgrid_open_string": "a string is not closed (missing '\"')",
    "textgrid_ends_early": "the file ends where {what} was expected",
    "textgrid_expected": "expected {what}, found {found}",
    "textgrid_not_finite": "{what} is not a finite number",
    "textgrid_not_whole": "{what} must be a whole number, found {value:g}",
    "textgrid_binary": "binary TextGrids are not supported: save it as a text file in Praat",
    "textgrid_no_header": 'not a Praat TextGrid: expected File type = "ooTextFile" at the start',
    "textgrid_file_type": "not a Praat text file (file type {type!r})",
    "textgrid_object_class": "not a TextGrid (object class {cls!r})",
    "textgrid_interval_reversed": "interval ends before it starts ({start} > {end} ms)",
    "textgrid_interval_overlap": "interval overlaps the previous one in tier {tier!r}",
    "textgrid_tier_class": "unknown tier class {tier_class!r}",
    "json_time": "{where} must be a number of seconds or null, found {found}",
    "json_word_object": "{where} must be an object with word/start/end, found {found}",
    "json_no_word": "{where} has no 'word'",
    "json_not_string": "{where} must be a string",
    "json_confidence": "{where} must be a number or null",
    "json_cue_object": "{where} must be an object with start/end/text",
    "json_cue_times": "{where} needs a start and an end",
    "json_not_list": "'{where}' must be a list",
    "json_invalid": "not valid JSON: {reason} (column {column})",
    "json_too_deep": "the JSON is nested far too deeply to be word timings",
    "json_not_object": "expected a JSON object with 'words' (or a list of words)",
    "json_no_words": "the JSON object has no 'words' (nor 'cues' or 'segments')",
    # edits the document refuses (aligner_core/edits.py, retext.py)
    "edit_internal": "{detail}",
    "edit_breaks_order": "{details}",
    "edit_boundary_unaligned": "both words must be aligned to move the boundary between them",
    "edit_boundary_outside": "boundary {ms} ms is outside {start}..{end} ms",
    "edit_empty_word": "a word cannot be empty; delete it instead",
    "edit_split_outside": "a cue can only be split between its words ({first}..{last})",
    # cue editing and annotation tiers (aligner_core/cue_edits.py, tier_edits.py)
    "edit_cue_exists": "words {first}..{last} are already a cue of their own",
    "edit_cue_no_words": "there are no words in the selected stretch; give a label to make a sound cue there",
    "edit_sound_inside_cue": "the stretch lies between the words of cue {number}; split that cue first",
    "edit_sound_overlaps": "the stretch overlaps cue {number}",
    "tier_name_bad": "a tier needs a name without a line break or spaces at its ends",
    "tier_name_reserved": "'{name}' is the name of the words', phones' or cues' tier; choose another",
    "tier_name_taken": "there is already a tier named '{name}'",
    "tier_interval_empty": "an interval needs a start before its end",
    "tier_item_outside": "{start}..{end} ms lies outside the audio",
    "tier_item_overlaps": "{start}..{end} ms overlaps another item of tier '{tier}'",
    # find and replace (aligner_core/replace.py), the clipboard (clipboard.py), spelling (spelling.py)
    "replace_empty_pattern": "there is nothing to find",
    "replace_bad_pattern": "the regular expression is not valid at character {position} ({reason})",
    "replace_bad_replacement": "the replacement does not fit the pattern: {reason}",
    "replace_bad_range": "words {first}..{last} do not exist",
    "clipboard_bad_payload": "the clipboard does not hold words Wordsync can paste ({reason})",
    "spelling_no_spylls": "spell checking needs the spylls package (pip install spylls)",
    "spelling_no_dictionary": "no spelling dictionary for {language!r} (install hunspell-{language} or put {language}.dic and {language}.aff in {folder})",
    "spelling_bad_dictionary": "the spelling dictionary {path!r} could not be read ({reason})",
    # where a problem lies: wrap a reason (a Message) with its place
    "at_path_line": "{path}, line {line}: {detail}",
    "at_path": "{path}: {detail}",
    "at_line": "line {line}: {detail}",
    "at_cue": "cue {cue}: {reason}",
    "at_word": "word {word}: {reason}",
    "with_action": "{reason} ({action})",
    # cue rules (aligner_core/cues.py check_cues); the English sentence is "cue N " + the reason
    "cue_no_text": "has no text",
    "cue_no_times": "has no times (none of its words is aligned)",
    "cue_lines": "has {count} lines (at most {limit})",
    "cue_line_length": "line {line} has {chars} characters (at most {limit})",
    "cue_too_short": "lasts {ms} ms (at least {limit_ms} ms)",
    "cue_too_long": "lasts {ms} ms (at most {limit_ms} ms)",
    "cue_cps": "reads at {cps:.1f} characters/s (at most {limit:g})",
    "cue_overlap": "starts {ms} ms before cue {other} ends",
    "cue_gap": "starts {ms} ms after cue {other} ends (at least {limit} ms)",
    # what export noticed (aligner_core/formats/: Problem reasons and the actions fixing took)
    "export_line_break": "a word contains a line break",
    "export_empty_line": "has an empty line (it would end the subtitle early)",
    "export_zero_length": "has zero length",
    "export_ends_before_start": "ends before it starts ({start} > {end} ms)",
    "export_ends_before_zero": "ends before 0 after the {offset} ms offset ({end} ms)",
    "export_starts_before_zero": "starts before 0 after the offset ({start} ms)",
    "export_overlaps": "overlaps cue {other} by {ms} ms",
    "export_words_outside": "{count} word(s) are in no cue and are not exported: {ranges}",
    "export_words_clamped": "{count} word(s) start before 0 after the offset and were clamped to 0: {ranges}",
    "export_timing_lookalike": "line {line!r} looks like a timing line: players may misread the file",
    "export_tags_dropped": "{count} formatting tag(s) {format} cannot show were left out",
    "export_cues_made": "the document had no cues; {count} cue(s) were made with the {profile!r} profile",
    "export_no_karaoke": "{format} has no karaoke timing; exported without it",
    "export_position_dropped": "{count} cue position(s) left out: {format} cannot place a subtitle at a point (the alignment is kept)",
    "export_karaoke_untimed": "{count} word(s) without times share the previous word's karaoke syllable",
    "export_tier_untimed": "{count} word(s) have no times and are only in the cue tier's text: {ranges}",
    "export_tier_zero": "{count} word(s) last 0 ms, which a TextGrid cannot hold; they are only in the cue tier's text: {ranges}",
    "export_tier_overlapping": "{count} word(s) overlap the previous word and were left out of the word tier: {ranges}",
    "export_tier_inside": "lies inside the previous cue and cannot be an interval of its own",
    "export_tier_overlap_cue": "overlaps the previous cue; its interval starts at {start} ms",
    "export_empty": "the document is empty: there is nothing to export as {format}",
    "export_no_cues": "the document has no cues yet: segment it into cues before exporting {format} (or pass a cue profile to export_document)",
    "export_only_sound": "every cue is a sound cue such as [music], and sound cues are left out: there is nothing to export as {format}",
    "action_space": "replaced by a space",
    "action_dropped": "dropped",
    "action_line_removed": "empty line removed",
    "action_end_set": "end set to {end} ms",
    "action_start_clamped": "start clamped to 0",
    "action_left_out": "left out",
    # the HTTP API (aligner_core/serve/): each refusal is one of these with its HTTP status
    "serve_unauthorized": "This server needs the header 'Authorization: Bearer <token>' with its token.",
    "serve_needs_token": "Serving on {host!r}, an address other computers can reach, needs --token TOKEN.",
    "serve_too_large": "The request is larger than this server's upload limit of {limit_mb:g} MB.",
    "serve_too_long": "The uploaded {name!r} lasts {minutes:.1f} minutes, longer than this server's limit of {limit:g} minutes.",
    "serve_not_audio": "The uploaded {name!r} is not audio or video this server can decode ({reason}).",
    "serve_empty_upload": "The uploaded {field} {name!r} is empty.",
    "serve_bad_transcript": "The uploaded transcript {name!r} cannot be aligned: {reason}.",
    "serve_nothing_aligned": "No word of {transcript!r} could be found in {audio!r}; is it silent, or another recording?",
    "serve_missing_field": "The form field {field!r} is missing.",
    "serve_bad_field": "The field {field!r} is not valid: {reason}.",
    "serve_unknown_format": "Unknown format {format!r}; choose one of: {choices}.",
    "serve_unknown_job": "There is no job {id!r}: it never existed, was deleted or expired.",
    "serve_not_ready": "The job {id!r} is {status}; it has no result to give.",
    "serve_no_route": "There is nothing at {path!r}; the API is described at /docs.",
    "serve_bad_method": "{path!r} does not take {method} requests; the API is described at /docs.",
    "serve_cancelled": "The job was cancelled before it finished.",
    "serve_interrupted": "The server stopped while this job was running; submit it again.",
    "serve_transcribe_failed": "The audio could not be transcribed: {reason}.",
    # the alignment summary (aligner_core/align/api.py)
    "summary": "{aligned} of {words} words aligned, {not_aligned} not aligned, {low_confidence} low confidence ({aligner}, RTF {rtf:.3f}, {speed:.0f}x real time)",
    # learning from corrections (aligner_core/learn/)
    "learn_no_verified": "No word of {projects} is verified: lock the words whose times you corrected, then build the training set again.",
    "learn_audio_missing": "The audio of the project {project!r} is not at {path!r}; open the project in the editor and locate it.",
    "learn_audio_changed": "The audio file {path!r} of the project {project!r} is not the recording the project was timed on; open the project and locate the right one.",
    "learn_no_audio": "The project {project!r} names no audio file, so its words cannot teach an aligner.",
    "learn_language_mixed": "The project {project!r} is in {language!r}, the others in {expected!r}; build one training set per language (or pass --language).",
    "learn_not_project": "{path!r} is not a Wordsync project ({reason}).",
    "learn_bad_dataset": "{path!r} line {line} is not a training segment: {reason}.",
    "learn_empty_dataset": "{path!r} holds no training segment with a verified word.",
    "learn_needs_peft": "Fine-tuning needs the Python package 'peft' (pip install 'wordsync[finetune]').",
    "learn_bad_adaptation": "{path!r} is not a usable aligner adaptation ({reason}); build it again.",
    "learn_gold_missing": "There are no gold word times for {name!r} in {gold!r} (expected {expected!r}).",
    "learn_no_transcript": "The audio file {name!r} has no transcript next to it ({expected!r}) to align for the evaluation.",
}


class Names(tuple):
    """An argument naming several things (projects, files): the English quotes each as ``!r``
    does; the editor uses its language's quotes and list separator (a joined string would carry
    ASCII quotes into a Chinese sentence)."""

    def __str__(self) -> str:
        return ", ".join(repr(name) for name in self)


@dataclass(frozen=True)
class Message:
    """A sentence for a person: ``code`` (a key of :data:`CATALOG`) and its arguments."""

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        template = CATALOG.get(self.code)
        if template is None:
            return self.code
        try:
            return template.format(**self.args)
        except (KeyError, IndexError, ValueError):  # a missing argument must not hide the message
            return f"{template} {dict(self.args)}"


def msg(code: str, **args: Any) -> Message:
    if code not in CATALOG:
        raise KeyError(f"no message {code!r} in the catalogue")
    return Message(code, args)


def message_of(exc: BaseException) -> Message | None:
    """The :class:`Message` an exception was raised with, or None for a plain-text one.

    An exception that learns where it happened after it was raised (a file error given its path
    by the caller) builds its message on demand through an ``as_message()`` method."""
    as_message = getattr(exc, "as_message", None)
    if callable(as_message):
        found = as_message()
        if isinstance(found, Message):
            return found
    for arg in getattr(exc, "args", ())[:1]:
        if isinstance(arg, Message):
            return arg
    message = getattr(exc, "message", None)
    return message if isinstance(message, Message) else None


__all__ = ["CATALOG", "Message", "message_of", "msg"]
