<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Wordsync</source>
        <translation>关于 Wordsync</translation>
    </message>
    <message>
        <source>A subtitle editor that aligns a transcript to its audio, word by word.</source>
        <translation>一款字幕编辑器：把文稿与音频逐词对齐。</translation>
    </message>
    <message>
        <source>Free software under the MIT licence.</source>
        <translation>基于 MIT 许可证的自由软件。</translation>
    </message>
    <message>
        <source>Python {0}, Qt {1}, PySide6 {2} on {3}</source>
        <translation>Python {0}、Qt {1}、PySide6 {2}，运行于 {3}</translation>
    </message>
    <message>
        <source>Built with</source>
        <translation>使用的组件</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>The LGPL libraries are linked dynamically and can be replaced with your own builds.</source>
        <translation>LGPL 许可的库以动态方式链接，可替换为您自己构建的版本。</translation>
    </message>
</context>
<context>
    <name>Alignment</name>
    <message>
        <source>Automatic (best installed)</source>
        <translation>自动（已安装的最佳对齐器）</translation>
    </message>
    <message>
        <source>Offline (sphinx, English)</source>
        <translation>离线（sphinx，仅英语）</translation>
    </message>
    <message>
        <source>Qwen3-ForcedAligner</source>
        <translation>Qwen3-ForcedAligner</translation>
    </message>
    <message>
        <source>CTC model (wav2vec2 / MMS)</source>
        <translation>CTC 模型（wav2vec2 / MMS）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU（CUDA）</translation>
    </message>
</context>
<context>
    <name>AlignmentController</name>
    <message>
        <source>&amp;Align</source>
        <translation>对齐(&amp;A)</translation>
    </message>
    <message>
        <source>Re-align &amp;selection</source>
        <translation>重新对齐所选内容(&amp;S)</translation>
    </message>
    <message>
        <source>Alignment se&amp;ttings…</source>
        <translation>对齐设置(&amp;T)…</translation>
    </message>
    <message>
        <source>A&amp;lign phones (phone tier)</source>
        <translation>对齐音素（音素层）(&amp;L)</translation>
    </message>
    <message>
        <source>Align also measures each word&apos;s phones, for a phone tier in TextGrid or JSON (slower)</source>
        <translation>对齐时也测量每个词的音素，用于 TextGrid 或 JSON 中的音素层（较慢）</translation>
    </message>
    <message>
        <source>Align</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Aligning</source>
        <translation>正在对齐</translation>
    </message>
    <message>
        <source>Re-align words {0}–{1}</source>
        <translation>重新对齐第 {0}–{1} 个词</translation>
    </message>
    <message>
        <source>Re-aligning words {0}–{1}</source>
        <translation>正在重新对齐第 {0}–{1} 个词</translation>
    </message>
    <message>
        <source>Re-align edited words</source>
        <translation>重新对齐已编辑的词</translation>
    </message>
    <message>
        <source>Re-aligning edited words</source>
        <translation>正在重新对齐已编辑的词</translation>
    </message>
    <message>
        <source>The document changed during alignment; the result was dropped.</source>
        <translation>对齐期间文档已更改，已丢弃本次对齐结果。</translation>
    </message>
    <message>
        <source>{0} words have no length: they are marked on the timeline, and F8 finds them.</source>
        <translation>{0} 个词没有长度：它们在时间线上有标记，按 F8 可逐个查看。</translation>
    </message>
    <message>
        <source>Alignment failed: {0}</source>
        <translation>对齐失败：{0}</translation>
    </message>
    <message>
        <source>Alignment failed: {0} The offline aligner (sphinx) needs no model and no GPU: choose it in Timing → Alignment settings (it knows English only).</source>
        <translation>对齐失败：{0} 离线对齐器（sphinx）无需模型，也无需 GPU：可在“时间轴 → 对齐设置”中选择它（仅支持英语）。</translation>
    </message>
    <message>
        <source>Align every word with {0}</source>
        <translation>用{0}对齐所有词</translation>
    </message>
    <message>
        <source>Aligner: {0}, language {1}</source>
        <translation>对齐器：{0}，语言 {1}</translation>
    </message>
</context>
<context>
    <name>AlignmentSettingsDialog</name>
    <message>
        <source>Alignment settings</source>
        <translation>对齐设置</translation>
    </message>
    <message>
        <source>The transcript&apos;s language; type another code (ISO 639) for a CTC model.</source>
        <translation>文稿的语言；使用 CTC 模型时可输入其他语言代码（ISO 639）。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Aligner:</source>
        <translation>对齐器(&amp;A)：</translation>
    </message>
    <message>
        <source>Default model, or a Hub id or a local folder</source>
        <translation>默认模型，或 Hub 模型 ID，或本地文件夹</translation>
    </message>
    <message>
        <source>&amp;Folder…</source>
        <translation>文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>{0} is not on this computer yet: Align offers to download it.</source>
        <translation>本机还没有{0}：点击“对齐”时会提供下载。</translation>
    </message>
    <message>
        <source>Automatic: {0} aligns “{1}”.</source>
        <translation>自动：由{0}对齐“{1}”。</translation>
    </message>
    <message>
        <source>{0} aligns “{1}”.</source>
        <translation>由{0}对齐“{1}”。</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
</context>
<context>
    <name>AudioOpener</name>
    <message>
        <source>Wordsync</source>
        <translation>Wordsync</translation>
    </message>
    <message>
        <source>Open {0} as a new document?</source>
        <translation>将 {0} 作为新文档打开吗？</translation>
    </message>
    <message>
        <source>The open words are timed to {0}. Keep the transcript to align it to the new recording (its times are removed), or start a new document.</source>
        <translation>当前的词是按 {0} 计时的。可以保留文稿并对齐到新录音（会清除原有时间），或新建文档。</translation>
    </message>
    <message>
        <source>other audio</source>
        <translation>其他音频</translation>
    </message>
    <message>
        <source>&amp;New document</source>
        <translation>新建文档(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Keep the transcript</source>
        <translation>保留文稿(&amp;K)</translation>
    </message>
    <message>
        <source>The transcript was kept without its times: align it to this recording.</source>
        <translation>已保留文稿并清除了时间：请将其对齐到这段录音。</translation>
    </message>
    <message>
        <source>A new document: open its transcript.</source>
        <translation>已新建文档：请打开它的文稿。</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>Autosave failed: {0}</source>
        <translation>自动保存失败：{0}</translation>
    </message>
    <message>
        <source>Autosave</source>
        <translation>自动保存</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>“{path}” is the same file as the input “{input}”; choose another name.</source>
        <translation>“{path}”与输入文件“{input}”是同一个文件；请换一个文件名。</translation>
    </message>
    <message>
        <source>“{path}” is a folder; give a file name.</source>
        <translation>“{path}”是一个文件夹；请给出文件名。</translation>
    </message>
    <message>
        <source>“{path}” is a {kind}, not a file; nothing was written.</source>
        <translation>“{path}”是{kind}，不是文件；未写入任何内容。</translation>
    </message>
    <message>
        <source>“{path}” is a {kind}; choose a regular file.</source>
        <translation>“{path}”是{kind}；请选择普通文件。</translation>
    </message>
    <message>
        <source>“{path}” is read-only; it was not replaced. Make it writable or choose another name.</source>
        <translation>“{path}”是只读文件，未被替换。请先将其设为可写，或换一个文件名。</translation>
    </message>
    <message>
        <source>The folder “{folder}” does not exist.</source>
        <translation>文件夹“{folder}”不存在。</translation>
    </message>
    <message>
        <source>“{folder}” is not a folder.</source>
        <translation>“{folder}”不是文件夹。</translation>
    </message>
    <message>
        <source>Cannot write into the folder “{folder}” (permission denied).</source>
        <translation>无法写入文件夹“{folder}”（权限不足）。</translation>
    </message>
    <message>
        <source>The file name “{name}” is too long for its folder ({size} bytes, at most {limit}).</source>
        <translation>文件名“{name}”太长（{size} 字节，该文件夹最多允许 {limit} 字节）。</translation>
    </message>
    <message>
        <source>Unknown aligner “{aligner}”.</source>
        <translation>未知的对齐器“{aligner}”。</translation>
    </message>
    <message>
        <source>The offline aligner knows English only, not “{language}”. Choose Qwen3-ForcedAligner or a CTC model in Timing → Alignment settings.</source>
        <translation>离线对齐器只支持英语，不支持“{language}”。请在“时间轴 → 对齐设置”中选择 Qwen3-ForcedAligner 或 CTC 模型。</translation>
    </message>
    <message>
        <source>Qwen3-ForcedAligner does not know “{language}” (it knows {known}). Choose a CTC model for the language in Timing → Alignment settings.</source>
        <translation>Qwen3-ForcedAligner 不支持“{language}”（它支持 {known}）。请在“时间轴 → 对齐设置”中为该语言选择 CTC 模型。</translation>
    </message>
    <message>
        <source>Cannot tell which aligner the model “{model}” is for; choose the aligner in Timing → Alignment settings.</source>
        <translation>无法判断模型“{model}”属于哪种对齐器；请在“时间轴 → 对齐设置”中选择对齐器。</translation>
    </message>
    <message>
        <source>No aligner for “{language}” is on this computer yet: {name} can be downloaded once, or use a model folder you have.</source>
        <translation>本机还没有支持“{language}”的对齐器：可以下载一次 {name}，或使用已有的模型文件夹。</translation>
    </message>
    <message>
        <source>No installed aligner knows “{language}”. Choose a CTC (wav2vec2/MMS) model for the language in Timing → Alignment settings.</source>
        <translation>已安装的对齐器都不支持“{language}”。请在“时间轴 → 对齐设置”中为该语言选择 CTC（wav2vec2/MMS）模型。</translation>
    </message>
    <message>
        <source>Unknown recogniser “{asr}”; choose one of: {choices}.</source>
        <translation>未知的识别器“{asr}”；请从以下选择：{choices}。</translation>
    </message>
    <message>
        <source>{recogniser} does not know “{language}” (it knows {known}). Choose another language or recogniser.</source>
        <translation>{recogniser} 不支持“{language}”（它支持 {known}）。请选择其他语言或识别器。</translation>
    </message>
    <message>
        <source>{recogniser} is not downloaded ({model}). Download it, or choose the offline recogniser for a rough English draft.</source>
        <translation>{recogniser} 尚未下载（{model}）。请下载它，或选择离线识别器生成粗略的英文草稿。</translation>
    </message>
    <message>
        <source>There is no {recogniser} model at “{path}”; choose the folder that holds {files}.</source>
        <translation>“{path}”处没有 {recogniser} 模型；请选择包含 {files} 的文件夹。</translation>
    </message>
    <message>
        <source>The {recogniser} model at “{path}” cannot be used ({reason}). Download it again or choose another model.</source>
        <translation>位于“{path}”的 {recogniser} 模型无法使用（{reason}）。请重新下载或选择其他模型。</translation>
    </message>
    <message>
        <source>{recogniser} needs the Python package “{package}”, which is not installed. Choose another recogniser.</source>
        <translation>{recogniser} 需要 Python 包“{package}”，但它尚未安装。请选择其他识别器。</translation>
    </message>
    <message>
        <source>No installed recogniser knows “{language}”. Download SenseVoiceSmall or Qwen3-ASR.</source>
        <translation>已安装的识别器都不支持“{language}”。请下载 SenseVoiceSmall 或 Qwen3-ASR。</translation>
    </message>
    <message>
        <source>“{name}” holds no speech and no sound to transcribe (it is silent).</source>
        <translation>“{name}”中没有可转写的语音或声音（它是静音的）。</translation>
    </message>
    <message>
        <source>No speech was recognised in “{name}”; nothing was transcribed.</source>
        <translation>在“{name}”中没有识别到语音；没有转写任何内容。</translation>
    </message>
    <message>
        <source>No speech was recognised in “{name}”, only sound: {events} sound cue(s) were drafted.</source>
        <translation>在“{name}”中没有识别到语音，只有声音：已生成 {events} 条声音字幕草稿。</translation>
    </message>
    <message>
        <source>The offline English recogniser makes a rough draft (about {wer}% of its words wrong on read speech); review every line.</source>
        <translation>离线英文识别器只能生成粗略的草稿（朗读语音中约 {wer}% 的词有误）；请逐行检查。</translation>
    </message>
    <message>
        <source>The draft keeps the recogniser&apos;s own times: it could not be aligned ({reason}).</source>
        <translation>草稿保留识别器自己的时间：无法对齐（{reason}）。</translation>
    </message>
    <message>
        <source>the aligner ({aligner}) found none of the {words} words in the audio</source>
        <translation>对齐器（{aligner}）在音频中一个词也没找到（共 {words} 个词）</translation>
    </message>
    <message>
        <source>Loading the recogniser</source>
        <translation>正在加载识别器</translation>
    </message>
    <message>
        <source>Finding speech</source>
        <translation>正在查找语音</translation>
    </message>
    <message>
        <source>Recognising speech</source>
        <translation>正在识别语音</translation>
    </message>
    <message>
        <source>Transcribed</source>
        <translation>转写完成</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在开始</translation>
    </message>
    <message>
        <source>Decoding audio</source>
        <translation>正在解码音频</translation>
    </message>
    <message>
        <source>Re-mixing audio</source>
        <translation>正在重新混合音频</translation>
    </message>
    <message>
        <source>Loading the aligner</source>
        <translation>正在加载对齐器</translation>
    </message>
    <message>
        <source>Aligning words ({backend})</source>
        <translation>正在对齐单词（{backend}）</translation>
    </message>
    <message>
        <source>Aligning words again (wider search)</source>
        <translation>正在重新对齐单词（扩大搜索范围）</translation>
    </message>
    <message>
        <source>Preparing pronunciations</source>
        <translation>正在准备发音</translation>
    </message>
    <message>
        <source>Checking doubtful words</source>
        <translation>正在复查可疑的单词</translation>
    </message>
    <message>
        <source>Aligning words</source>
        <translation>正在对齐单词</translation>
    </message>
    <message>
        <source>Finding the transcript in the audio</source>
        <translation>正在音频中查找文稿</translation>
    </message>
    <message>
        <source>Finding pauses</source>
        <translation>正在查找停顿</translation>
    </message>
    <message>
        <source>Placing words</source>
        <translation>正在放置单词</translation>
    </message>
    <message>
        <source>Finding the best path</source>
        <translation>正在寻找最佳路径</translation>
    </message>
    <message>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Listening to the audio</source>
        <translation>正在分析音频</translation>
    </message>
    <message>
        <source>Aligned</source>
        <translation>对齐完成</translation>
    </message>
    <message>
        <source>Downloading the model</source>
        <translation>正在下载模型</translation>
    </message>
    <message>
        <source>Loading the base model</source>
        <translation>正在加载基础模型</translation>
    </message>
    <message>
        <source>Training: step {step}/{total}, loss {loss:.3f}, about {left} left</source>
        <translation>训练中：第 {step}/{total} 步，损失 {loss:.3f}，约剩 {left}</translation>
    </message>
    <message>
        <source>Saving the adapter</source>
        <translation>正在保存适配器</translation>
    </message>
    <message>
        <source>Merging</source>
        <translation>正在合并</translation>
    </message>
    <message>
        <source>Measuring before and after</source>
        <translation>正在测量改进前后的效果</translation>
    </message>
    <message>
        <source>Aligning segment {number} of {count}</source>
        <translation>正在对齐第 {number} 段（共 {count} 段）</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>{words} words drafted in {segments} segment(s), {events} sound cue(s), {low_confidence} to review ({recogniser})</source>
        <translation>已在 {segments} 个片段中生成 {words} 个词的草稿，{events} 条声音字幕，{low_confidence} 个待检查（{recogniser}）</translation>
    </message>
    <message>
        <source>The transcript file “{name}” does not exist.</source>
        <translation>文字稿文件“{name}”不存在。</translation>
    </message>
    <message>
        <source>The transcript file “{name}” could not be read ({reason}).</source>
        <translation>无法读取文字稿文件“{name}”（{reason}）。</translation>
    </message>
    <message>
        <source>“{name}” is a folder, not a transcript file.</source>
        <translation>“{name}”是文件夹，不是文字稿文件。</translation>
    </message>
    <message>
        <source>“{name}” is not a regular file (a device, pipe or socket); it cannot be a transcript.</source>
        <translation>“{name}”不是普通文件（是设备、管道或套接字），不能作为文字稿。</translation>
    </message>
    <message>
        <source>“{name}” is too large to be a transcript (over {limit_mb} MB).</source>
        <translation>“{name}”太大，不可能是文字稿（超过 {limit_mb} MB）。</translation>
    </message>
    <message>
        <source>“{name}” is not a plain-text transcript; save the transcript as a .txt file.</source>
        <translation>“{name}”不是纯文本文字稿；请把文字稿另存为 .txt 文件。</translation>
    </message>
    <message>
        <source>“{name}” contains binary data, not text.</source>
        <translation>“{name}”包含二进制数据，不是文本。</translation>
    </message>
    <message>
        <source>“{name}” is not UTF-8 and its text encoding could not be recognised; save it as UTF-8.</source>
        <translation>“{name}”不是 UTF-8 编码，也无法识别其文本编码；请另存为 UTF-8。</translation>
    </message>
    <message>
        <source>“{name}” starts with a {encoding} byte-order mark but is not valid {encoding} text.</source>
        <translation>“{name}”以 {encoding} 字节顺序标记开头，但不是有效的 {encoding} 文本。</translation>
    </message>
    <message>
        <source>The transcript “{name}” has no words to align.</source>
        <translation>文字稿“{name}”中没有可对齐的词。</translation>
    </message>
    <message>
        <source>This change could not be made because of a program error; please report it.</source>
        <translation>由于程序错误，无法进行此更改；请报告此问题。</translation>
    </message>
    <message>
        <source>This change would put words or cues out of order or outside the recording, so it was not made.</source>
        <translation>此更改会使词或字幕条顺序错乱或超出录音范围，因此未执行。</translation>
    </message>
    <message>
        <source>Both words must be aligned to move the boundary between them.</source>
        <translation>两个词都必须已对齐，才能移动它们之间的边界。</translation>
    </message>
    <message>
        <source>The boundary must stay between {start} and {end} ms.</source>
        <translation>边界必须保持在 {start} 到 {end} 毫秒之间。</translation>
    </message>
    <message>
        <source>A word cannot be empty; delete it instead.</source>
        <translation>词不能为空；请改为删除它。</translation>
    </message>
    <message>
        <source>A cue can only be split between its words.</source>
        <translation>字幕条只能在其词与词之间拆分。</translation>
    </message>
    <message>
        <source>Words {first}–{last} are already a cue of their own.</source>
        <translation>第 {first}–{last} 个词已经单独组成一条字幕。</translation>
    </message>
    <message>
        <source>There are no words in the selected stretch; give a label to make a sound cue there.</source>
        <translation>所选时间段内没有词；请输入标签，在此处创建声音字幕。</translation>
    </message>
    <message>
        <source>The stretch lies between the words of cue {number}; split that cue first.</source>
        <translation>该时间段位于第 {number} 条字幕的词之间；请先拆分该字幕。</translation>
    </message>
    <message>
        <source>The stretch overlaps cue {number}.</source>
        <translation>该时间段与第 {number} 条字幕重叠。</translation>
    </message>
    <message>
        <source>A tier needs a name without a line break or spaces at its ends.</source>
        <translation>层需要一个名称，且不能含换行或首尾空格。</translation>
    </message>
    <message>
        <source>“{name}” is the name of the words’, phones’ or cues’ tier; choose another.</source>
        <translation>“{name}”是词层、音素层或字幕层的名称；请另选一个。</translation>
    </message>
    <message>
        <source>There is already a tier named “{name}”.</source>
        <translation>已有名为“{name}”的层。</translation>
    </message>
    <message>
        <source>An interval needs a start before its end.</source>
        <translation>区间的开始必须早于结束。</translation>
    </message>
    <message>
        <source>{start}–{end} ms lies outside the audio.</source>
        <translation>{start}–{end} 毫秒超出了音频范围。</translation>
    </message>
    <message>
        <source>{start}–{end} ms overlaps another item of tier “{tier}”.</source>
        <translation>{start}–{end} 毫秒与层“{tier}”中的另一项重叠。</translation>
    </message>
    <message>
        <source>There is nothing to find.</source>
        <translation>没有要查找的内容。</translation>
    </message>
    <message>
        <source>The regular expression is not valid at character {position}.</source>
        <translation>正则表达式在第 {position} 个字符处无效。</translation>
    </message>
    <message>
        <source>The replacement names a group the pattern does not have.</source>
        <translation>替换内容引用了表达式中不存在的分组。</translation>
    </message>
    <message>
        <source>Words {first} to {last} do not exist.</source>
        <translation>第 {first} 到第 {last} 个词不存在。</translation>
    </message>
    <message>
        <source>The clipboard does not hold words Wordsync can paste.</source>
        <translation>剪贴板里没有 Wordsync 可以粘贴的词。</translation>
    </message>
    <message>
        <source>Spell checking is missing: the spylls package is not installed.</source>
        <translation>无法进行拼写检查：未安装 spylls 软件包。</translation>
    </message>
    <message>
        <source>Spell checking is missing: no dictionary for “{language}” (install hunspell-{language} or put {language}.dic and {language}.aff in {folder}).</source>
        <translation>无法进行拼写检查：没有“{language}”的词典（请安装 hunspell-{language}，或把 {language}.dic 和 {language}.aff 放到 {folder}）。</translation>
    </message>
    <message>
        <source>The spelling dictionary “{path}” could not be read.</source>
        <translation>无法读取拼写词典“{path}”。</translation>
    </message>
    <message>
        <source>The file “{path}” does not exist.</source>
        <translation>文件“{path}”不存在。</translation>
    </message>
    <message>
        <source>“{path}” could not be read ({reason}).</source>
        <translation>无法读取“{path}”（{reason}）。</translation>
    </message>
    <message>
        <source>“{path}” is a folder, not an audio or video file.</source>
        <translation>“{path}”是文件夹，不是音频或视频文件。</translation>
    </message>
    <message>
        <source>“{path}” is a {kind}, not an audio or video file.</source>
        <translation>“{path}”是{kind}，不是音频或视频文件。</translation>
    </message>
    <message>
        <source>“{path}” could not be read (permission denied).</source>
        <translation>无法读取“{path}”（权限不足）。</translation>
    </message>
    <message>
        <source>“{path}” is empty (0 bytes).</source>
        <translation>“{path}”是空文件（0 字节）。</translation>
    </message>
    <message>
        <source>“{path}” could not be decoded: it is not a supported audio or video file, or it is damaged.</source>
        <translation>无法解码“{path}”：它不是受支持的音频或视频文件，或者已损坏。</translation>
    </message>
    <message>
        <source>“{path}” contains no audio samples.</source>
        <translation>“{path}”不含任何音频采样。</translation>
    </message>
    <message>
        <source>“{path}” could not be decoded: it is damaged near its start.</source>
        <translation>无法解码“{path}”：文件开头附近已损坏。</translation>
    </message>
    <message>
        <source>“{path}” has no audio track.</source>
        <translation>“{path}”没有音轨。</translation>
    </message>
    <message>
        <source>The picture of “{name}” could not be decoded; its sound is not affected.</source>
        <translation>无法解码“{name}”的画面；其声音不受影响。</translation>
    </message>
    <message>
        <source>“{path}” uses an audio codec that cannot be decoded.</source>
        <translation>“{path}”使用了无法解码的音频编码。</translation>
    </message>
    <message>
        <source>“{path}” claims a sample rate of {rate} Hz, below any real recording; its header is damaged.</source>
        <translation>“{path}”声称采样率为 {rate} Hz，低于任何真实录音；其文件头已损坏。</translation>
    </message>
    <message>
        <source>This project was saved by a newer Wordsync (format {version}); this version reads up to format {supported}. Update Wordsync to open it.</source>
        <translation>此项目由更新版本的 Wordsync 保存（格式 {version}）；当前版本最多只能读取格式 {supported}。请更新 Wordsync 后再打开。</translation>
    </message>
    <message>
        <source>The project cannot be saved: it holds data a project file cannot represent. This is a program error; please report it.</source>
        <translation>无法保存项目：其中包含项目文件无法表示的数据。这是程序错误，请报告此问题。</translation>
    </message>
    <message>
        <source>The file is larger than {limit_mib} MiB, too large to be a Wordsync project.</source>
        <translation>该文件大于 {limit_mib} MiB，太大，不可能是 Wordsync 项目。</translation>
    </message>
    <message>
        <source>The project file is empty.</source>
        <translation>项目文件是空的。</translation>
    </message>
    <message>
        <source>The project file is not UTF-8 text, so it is damaged or not a Wordsync project.</source>
        <translation>项目文件不是 UTF-8 文本，因此已损坏或不是 Wordsync 项目。</translation>
    </message>
    <message>
        <source>The project file is cut off: it ends in the middle of its data.</source>
        <translation>项目文件不完整：在数据中途就结束了。</translation>
    </message>
    <message>
        <source>The project file is damaged: it is not valid JSON (line {line}, column {column}).</source>
        <translation>项目文件已损坏：不是有效的 JSON（第 {line} 行，第 {column} 列）。</translation>
    </message>
    <message>
        <source>The project file is not a Wordsync project: its data is nested far too deeply.</source>
        <translation>该项目文件不是 Wordsync 项目：其数据嵌套过深。</translation>
    </message>
    <message>
        <source>The project file holds a number JSON does not allow (such as NaN or Infinity).</source>
        <translation>项目文件中含有 JSON 不允许的数值（例如 NaN 或 Infinity）。</translation>
    </message>
    <message>
        <source>This file is not a Wordsync project.</source>
        <translation>该文件不是 Wordsync 项目。</translation>
    </message>
    <message>
        <source>The project file has no valid format version.</source>
        <translation>项目文件没有有效的格式版本。</translation>
    </message>
    <message>
        <source>The project file is damaged: “{where}” holds the wrong kind of value.</source>
        <translation>项目文件已损坏：“{where}”中的值类型不正确。</translation>
    </message>
    <message>
        <source>The project file is damaged: “{where}” is missing.</source>
        <translation>项目文件已损坏：缺少“{where}”。</translation>
    </message>
    <message>
        <source>The project file is damaged: “{where}” contains a NUL character.</source>
        <translation>项目文件已损坏：“{where}”中含有 NUL 字符。</translation>
    </message>
    <message>
        <source>The project file is damaged: “{where}” must be a relative path.</source>
        <translation>项目文件已损坏：“{where}”必须是相对路径。</translation>
    </message>
    <message>
        <source>The project file is damaged: the lists in “{where}” have different lengths.</source>
        <translation>项目文件已损坏：“{where}”中各列表的长度不一致。</translation>
    </message>
    <message>
        <source>The project file is damaged: its words, times and cues contradict each other.</source>
        <translation>项目文件已损坏：其中的词、时间和字幕条相互矛盾。</translation>
    </message>
    <message>
        <source>The project file is damaged: “{where}” is out of range.</source>
        <translation>项目文件已损坏：“{where}”超出范围。</translation>
    </message>
    <message>
        <source>autosaving has already stopped in this window.</source>
        <translation>此窗口的自动保存已经停止。</translation>
    </message>
    <message>
        <source>another Wordsync window already uses the autosave session “{session}”.</source>
        <translation>另一个 Wordsync 窗口已在使用自动保存会话“{session}”。</translation>
    </message>
    <message>
        <source>the autosave lock file “{path}” cannot be locked.</source>
        <translation>无法锁定自动保存的锁文件“{path}”。</translation>
    </message>
    <message>
        <source>Unknown format “{name}”; known formats: {choices}.</source>
        <translation>未知格式“{name}”；已知格式：{choices}。</translation>
    </message>
    <message>
        <source>Cannot tell the format of “{path}” from its name; choose a format ({choices}).</source>
        <translation>无法从文件名判断“{path}”的格式；请选择一种格式（{choices}）。</translation>
    </message>
    <message>
        <source>{label} files hold no subtitles.</source>
        <translation>{label} 文件不含字幕。</translation>
    </message>
    <message>
        <source>{label} files hold no word timings.</source>
        <translation>{label} 文件不含逐词时间。</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text (byte {byte}); save it as UTF-8.</source>
        <translation>该文件不是 UTF-8 文本（第 {byte} 字节）；请将其另存为 UTF-8。</translation>
    </message>
    <message>
        <source>The file describes times that contradict each other ({details}).</source>
        <translation>该文件中的时间相互矛盾（{details}）。</translation>
    </message>
    <message>
        <source>This is not an ASS/SSA file: it does not start with a section such as [Script Info].</source>
        <translation>这不是 ASS/SSA 文件：它不是以 [Script Info] 之类的段落开头的。</translation>
    </message>
    <message>
        <source>This line should read “Key: value” but reads “{found}”.</source>
        <translation>此行应为“键: 值”的形式，实际为“{found}”。</translation>
    </message>
    <message>
        <source>The [Events] Format line must name Start, End and Text.</source>
        <translation>[Events] 段的 Format 行必须包含 Start、End 和 Text。</translation>
    </message>
    <message>
        <source>A Dialogue line needs {need} fields but has {found}.</source>
        <translation>Dialogue 行需要 {need} 个字段，实际只有 {found} 个。</translation>
    </message>
    <message>
        <source>The time “{time}” cannot be read.</source>
        <translation>无法读取时间“{time}”。</translation>
    </message>
    <message>
        <source>This is not an ASS/SSA file: it has no [Script Info] or [Events] section.</source>
        <translation>这不是 ASS/SSA 文件：其中没有 [Script Info] 或 [Events] 段。</translation>
    </message>
    <message>
        <source>The timing line “{found}” cannot be read.</source>
        <translation>无法读取时间行“{found}”。</translation>
    </message>
    <message>
        <source>A timing line should follow the subtitle number, but the file has “{found}”.</source>
        <translation>字幕序号之后应为时间行，但文件中是“{found}”。</translation>
    </message>
    <message>
        <source>A subtitle number or a timing line should be here, but the file has “{found}”.</source>
        <translation>此处应为字幕序号或时间行，但文件中是“{found}”。</translation>
    </message>
    <message>
        <source>A subtitle number has no timing line after it.</source>
        <translation>某个字幕序号之后没有时间行。</translation>
    </message>
    <message>
        <source>A WebVTT file must start with “WEBVTT”.</source>
        <translation>WebVTT 文件必须以“WEBVTT”开头。</translation>
    </message>
    <message>
        <source>A cue timing line should be here, but the file has “{found}”.</source>
        <translation>此处应为字幕时间行，但文件中是“{found}”。</translation>
    </message>
    <message>
        <source>The cue timing line “{found}” cannot be read.</source>
        <translation>无法读取字幕时间行“{found}”。</translation>
    </message>
    <message>
        <source>A quoted text is never closed (a quotation mark is missing).</source>
        <translation>某段引号中的文本没有结束（缺少引号）。</translation>
    </message>
    <message>
        <source>The TextGrid ends too early; it is cut off.</source>
        <translation>该 TextGrid 提前结束；文件不完整。</translation>
    </message>
    <message>
        <source>The TextGrid has something else here ({found}) than it should.</source>
        <translation>该 TextGrid 在此处的内容（{found}）不符合格式。</translation>
    </message>
    <message>
        <source>A number here is not finite.</source>
        <translation>此处的数字不是有限值。</translation>
    </message>
    <message>
        <source>A count here must be a whole number, not {value:g}.</source>
        <translation>此处的数量必须是整数，而不是 {value:g}。</translation>
    </message>
    <message>
        <source>Binary TextGrids cannot be read; save it as a text file in Praat.</source>
        <translation>无法读取二进制 TextGrid；请在 Praat 中将其另存为文本文件。</translation>
    </message>
    <message>
        <source>This is not a Praat TextGrid: it does not start with File type = “ooTextFile”.</source>
        <translation>这不是 Praat TextGrid：它不是以 File type = “ooTextFile” 开头的。</translation>
    </message>
    <message>
        <source>This is not a Praat text file (its file type is “{type}”).</source>
        <translation>这不是 Praat 文本文件（其文件类型为“{type}”）。</translation>
    </message>
    <message>
        <source>This Praat file is not a TextGrid (its object class is “{cls}”).</source>
        <translation>该 Praat 文件不是 TextGrid（其对象类别为“{cls}”）。</translation>
    </message>
    <message>
        <source>An interval ends before it starts ({start} &gt; {end} ms).</source>
        <translation>某个区间的结束早于开始（{start} &gt; {end} 毫秒）。</translation>
    </message>
    <message>
        <source>An interval overlaps the previous one in the tier “{tier}”.</source>
        <translation>层“{tier}”中的某个区间与前一个区间重叠。</translation>
    </message>
    <message>
        <source>The tier class “{tier_class}” is unknown.</source>
        <translation>未知的层类别“{tier_class}”。</translation>
    </message>
    <message>
        <source>{where} must be a number of seconds or null, not {found}.</source>
        <translation>{where} 必须是秒数或 null，而不是 {found}。</translation>
    </message>
    <message>
        <source>{where} must be an object with word, start and end, not {found}.</source>
        <translation>{where} 必须是包含 word、start 和 end 的对象，而不是 {found}。</translation>
    </message>
    <message>
        <source>{where} has no “word”.</source>
        <translation>{where} 没有“word”。</translation>
    </message>
    <message>
        <source>{where} must be text.</source>
        <translation>{where} 必须是文本。</translation>
    </message>
    <message>
        <source>{where} must be a number or null.</source>
        <translation>{where} 必须是数字或 null。</translation>
    </message>
    <message>
        <source>{where} must be an object with start, end and text.</source>
        <translation>{where} 必须是包含 start、end 和 text 的对象。</translation>
    </message>
    <message>
        <source>{where} needs a start and an end.</source>
        <translation>{where} 需要开始和结束时间。</translation>
    </message>
    <message>
        <source>“{where}” must be a list.</source>
        <translation>“{where}”必须是列表。</translation>
    </message>
    <message>
        <source>This is not valid JSON (column {column}).</source>
        <translation>这不是有效的 JSON（第 {column} 列）。</translation>
    </message>
    <message>
        <source>The JSON is nested far too deeply to be word timings.</source>
        <translation>该 JSON 嵌套过深，不可能是逐词时间。</translation>
    </message>
    <message>
        <source>The JSON should be an object with “words” (or a list of words).</source>
        <translation>该 JSON 应为包含“words”的对象（或词的列表）。</translation>
    </message>
    <message>
        <source>The JSON object has no “words” (nor “cues” or “segments”).</source>
        <translation>该 JSON 对象中没有“words”（也没有“cues”或“segments”）。</translation>
    </message>
    <message>
        <source>“{path}”, line {line}: {detail}</source>
        <translation>“{path}”第 {line} 行：{detail}</translation>
    </message>
    <message>
        <source>“{path}”: {detail}</source>
        <translation>“{path}”：{detail}</translation>
    </message>
    <message>
        <source>Line {line}: {detail}</source>
        <translation>第 {line} 行：{detail}</translation>
    </message>
    <message>
        <source>Cue {cue}: {reason}</source>
        <translation>第 {cue} 条字幕：{reason}</translation>
    </message>
    <message>
        <source>Word {word}: {reason}</source>
        <translation>第 {word} 个词：{reason}</translation>
    </message>
    <message>
        <source>{reason} ({action})</source>
        <translation>{reason}（{action}）</translation>
    </message>
    <message>
        <source>The cue has no text</source>
        <translation>该字幕条没有文本</translation>
    </message>
    <message>
        <source>None of its words is aligned, so the cue has no times</source>
        <translation>该字幕条中没有已对齐的词，因此没有时间</translation>
    </message>
    <message>
        <source>{count} lines (at most {limit})</source>
        <translation>{count} 行（最多 {limit} 行）</translation>
    </message>
    <message>
        <source>Line {line} has {chars} characters (at most {limit})</source>
        <translation>第 {line} 行有 {chars} 个字符（最多 {limit} 个）</translation>
    </message>
    <message>
        <source>On screen for {seconds:.2f} s (at least {limit_seconds:.2f} s)</source>
        <translation>显示 {seconds:.2f} 秒（至少 {limit_seconds:.2f} 秒）</translation>
    </message>
    <message>
        <source>On screen for {seconds:.2f} s (at most {limit_seconds:.2f} s)</source>
        <translation>显示 {seconds:.2f} 秒（最多 {limit_seconds:.2f} 秒）</translation>
    </message>
    <message>
        <source>Reads at {cps:.1f} characters per second (at most {limit:g})</source>
        <translation>阅读速度为每秒 {cps:.1f} 个字符（最多 {limit:g} 个）</translation>
    </message>
    <message>
        <source>Overlaps the previous cue by {ms} ms</source>
        <translation>与上一字幕条重叠 {ms} 毫秒</translation>
    </message>
    <message>
        <source>Starts {ms} ms after the previous cue (at least {limit} ms)</source>
        <translation>在上一字幕条之后 {ms} 毫秒开始（至少 {limit} 毫秒）</translation>
    </message>
    <message>
        <source>A word contains a line break</source>
        <translation>某个词中含有换行符</translation>
    </message>
    <message>
        <source>Has an empty line, which would end the subtitle early</source>
        <translation>含有空行，会使字幕提前结束</translation>
    </message>
    <message>
        <source>Lasts no time at all</source>
        <translation>时长为零</translation>
    </message>
    <message>
        <source>Ends before it starts ({start} &gt; {end} ms)</source>
        <translation>结束时间早于开始时间（{start} &gt; {end} 毫秒）</translation>
    </message>
    <message>
        <source>Ends before 0 after the {offset} ms offset ({end} ms)</source>
        <translation>加上 {offset} 毫秒偏移后在 0 之前结束（{end} 毫秒）</translation>
    </message>
    <message>
        <source>Starts before 0 after the offset ({start} ms)</source>
        <translation>加上偏移后在 0 之前开始（{start} 毫秒）</translation>
    </message>
    <message>
        <source>Overlaps cue {other} by {ms} ms</source>
        <translation>与第 {other} 条字幕重叠 {ms} 毫秒</translation>
    </message>
    <message>
        <source>{count} word(s) are in no cue and are not exported: {ranges}</source>
        <translation>{count} 个词不属于任何字幕条，不会被导出：{ranges}</translation>
    </message>
    <message>
        <source>{count} word(s) start before 0 after the offset and were moved to 0: {ranges}</source>
        <translation>{count} 个词加上偏移后在 0 之前开始，已移到 0：{ranges}</translation>
    </message>
    <message>
        <source>The line “{line}” looks like a timing line; players may misread the file</source>
        <translation>“{line}”这一行看起来像时间行，播放器可能会误读该文件</translation>
    </message>
    <message>
        <source>{count} formatting tag(s) that {format} cannot show were left out</source>
        <translation>{format} 无法显示的 {count} 个格式标签已省略</translation>
    </message>
    <message>
        <source>The document had no cues; {count} were made with the “{profile}” rules</source>
        <translation>文档原本没有字幕条；已按“{profile}”规则生成 {count} 条</translation>
    </message>
    <message>
        <source>{format} has no karaoke timing; exported without it</source>
        <translation>{format} 不支持卡拉 OK 计时；导出时不含该计时</translation>
    </message>
    <message>
        <source>{count} cue position(s) left out: {format} cannot place a subtitle at a point (the alignment is kept).</source>
        <translation>省略了 {count} 条字幕的位置：{format} 无法把字幕放在指定坐标（对齐方式已保留）。</translation>
    </message>
    <message>
        <source>{count} word(s) without times share the previous word’s karaoke syllable</source>
        <translation>{count} 个没有时间的词与前一个词共用卡拉 OK 音节</translation>
    </message>
    <message>
        <source>{count} word(s) have no times and are only in the cue tier’s text: {ranges}</source>
        <translation>{count} 个词没有时间，只出现在字幕层的文本中：{ranges}</translation>
    </message>
    <message>
        <source>{count} word(s) last 0 ms, which a TextGrid cannot hold; they are only in the cue tier’s text: {ranges}</source>
        <translation>{count} 个词时长为 0 毫秒，TextGrid 无法容纳；它们只出现在字幕层的文本中：{ranges}</translation>
    </message>
    <message>
        <source>{count} word(s) overlap the previous word and were left out of the word tier: {ranges}</source>
        <translation>{count} 个词与前一个词重叠，已从词层中省略：{ranges}</translation>
    </message>
    <message>
        <source>Lies inside the previous cue and cannot be an interval of its own</source>
        <translation>位于上一字幕条之内，无法成为独立的区间</translation>
    </message>
    <message>
        <source>Overlaps the previous cue; its interval starts at {start} ms</source>
        <translation>与上一字幕条重叠；其区间从 {start} 毫秒开始</translation>
    </message>
    <message>
        <source>The document is empty: there is nothing to export as {format}.</source>
        <translation>文档是空的：没有可导出为 {format} 的内容。</translation>
    </message>
    <message>
        <source>The document has no cues yet: make cues with Timing → Re-segment cues before exporting {format}.</source>
        <translation>文档还没有字幕条：请先用“时间轴 → 重新划分字幕条”生成字幕条，再导出 {format}。</translation>
    </message>
    <message>
        <source>Every cue is a sound cue such as [music], and sound cues are left out: there is nothing to export as {format}.</source>
        <translation>每条字幕都是 [music] 这样的声音字幕，而声音字幕被排除在外：没有可导出为 {format} 的内容。</translation>
    </message>
    <message>
        <source>replaced by a space</source>
        <translation>已替换为空格</translation>
    </message>
    <message>
        <source>left out of the file</source>
        <translation>未写入文件</translation>
    </message>
    <message>
        <source>empty line removed</source>
        <translation>已删除空行</translation>
    </message>
    <message>
        <source>end set to {end} ms</source>
        <translation>结束时间设为 {end} 毫秒</translation>
    </message>
    <message>
        <source>start moved to 0</source>
        <translation>开始时间移到 0</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>已省略</translation>
    </message>
    <message>
        <source>“{path}” is damaged after {seconds:.1f} s; the rest was skipped.</source>
        <translation>“{path}”在 {seconds:.1f} 秒之后已损坏；其余部分已跳过。</translation>
    </message>
    <message>
        <source>“{path}” ended after {seconds:.1f} s, before the {announced:.1f} s its header announces.</source>
        <translation>“{path}”在 {seconds:.1f} 秒处就结束了，早于文件头声明的 {announced:.1f} 秒。</translation>
    </message>
    <message>
        <source>“{path}” is damaged or cut off; decoding stopped there.</source>
        <translation>“{path}”已损坏或被截断；解码在该处停止。</translation>
    </message>
    <message>
        <source>“{path}” has {count} damaged audio packet(s) that were skipped.</source>
        <translation>“{path}”有 {count} 个损坏的音频包，已跳过。</translation>
    </message>
    <message>
        <source>“{path}” has {count} sample(s) that are not numbers; they were replaced by silence.</source>
        <translation>“{path}”有 {count} 个采样不是数值，已替换为静音。</translation>
    </message>
    <message>
        <source>“{path}” has {count} sample(s) of absurd size (up to {peak:.3g} times full scale); they were replaced by silence.</source>
        <translation>“{path}”有 {count} 个采样值大得离谱（最高达满刻度的 {peak:.3g} 倍），已替换为静音。</translation>
    </message>
    <message>
        <source>“{path}” holds samples up to {peak:.3g} times full scale; it was scaled down by {factor:.3g}.</source>
        <translation>“{path}”的采样最高达满刻度的 {peak:.3g} 倍，已缩小 {factor:.3g} 倍。</translation>
    </message>
    <message>
        <source>The {channels} channels of “{path}” cancel out when mixed to mono (one is phase-inverted), so channel {channel} alone was used.</source>
        <translation>“{path}”的 {channels} 个声道混成单声道时会相互抵消（其中一个相位反转），因此只使用了第 {channel} 声道。</translation>
    </message>
    <message>
        <source>This server needs the header “Authorization: Bearer &lt;token&gt;” with its token.</source>
        <translation>此服务器需要带有其令牌的请求头“Authorization: Bearer &lt;token&gt;”。</translation>
    </message>
    <message>
        <source>Serving on “{host}”, an address other computers can reach, needs --token TOKEN.</source>
        <translation>在“{host}”上提供服务（其他计算机可以访问的地址）需要 --token TOKEN。</translation>
    </message>
    <message>
        <source>The request is larger than this server’s upload limit of {limit_mb:g} MB.</source>
        <translation>请求超过了此服务器 {limit_mb:g} MB 的上传上限。</translation>
    </message>
    <message>
        <source>The uploaded “{name}” lasts {minutes:.1f} minutes, longer than this server’s limit of {limit:g} minutes.</source>
        <translation>上传的“{name}”时长 {minutes:.1f} 分钟，超过了此服务器 {limit:g} 分钟的上限。</translation>
    </message>
    <message>
        <source>The uploaded “{name}” is not audio or video this server can decode ({reason}).</source>
        <translation>上传的“{name}”不是此服务器能解码的音频或视频（{reason}）。</translation>
    </message>
    <message>
        <source>The uploaded {field} “{name}” is empty.</source>
        <translation>上传的 {field}“{name}”是空的。</translation>
    </message>
    <message>
        <source>The uploaded transcript “{name}” cannot be aligned: {reason}.</source>
        <translation>上传的文字稿“{name}”无法对齐：{reason}。</translation>
    </message>
    <message>
        <source>No word of “{transcript}” could be found in “{audio}”; is it silent, or another recording?</source>
        <translation>在“{audio}”中找不到“{transcript}”的任何词；它是静音，还是另一段录音？</translation>
    </message>
    <message>
        <source>The form field “{field}” is missing.</source>
        <translation>缺少表单字段“{field}”。</translation>
    </message>
    <message>
        <source>The field “{field}” is not valid: {reason}.</source>
        <translation>字段“{field}”无效：{reason}。</translation>
    </message>
    <message>
        <source>Unknown format “{format}”; choose one of: {choices}.</source>
        <translation>未知格式“{format}”；请选择：{choices}。</translation>
    </message>
    <message>
        <source>There is no job “{id}”: it never existed, was deleted or expired.</source>
        <translation>没有任务“{id}”：它从未存在、已被删除或已过期。</translation>
    </message>
    <message>
        <source>The job “{id}” is {status}; it has no result to give.</source>
        <translation>任务“{id}”的状态是 {status}；没有可提供的结果。</translation>
    </message>
    <message>
        <source>There is nothing at “{path}”; the API is described at /docs.</source>
        <translation>“{path}”处没有内容；API 说明见 /docs。</translation>
    </message>
    <message>
        <source>“{path}” does not take {method} requests; the API is described at /docs.</source>
        <translation>“{path}”不接受 {method} 请求；API 说明见 /docs。</translation>
    </message>
    <message>
        <source>The job was cancelled before it finished.</source>
        <translation>任务在完成前被取消了。</translation>
    </message>
    <message>
        <source>The server stopped while this job was running; submit it again.</source>
        <translation>此任务运行时服务器停止了；请重新提交。</translation>
    </message>
    <message>
        <source>The audio could not be transcribed: {reason}.</source>
        <translation>无法转写该音频：{reason}。</translation>
    </message>
    <message>
        <source>{aligned} of {words} words aligned, {not_aligned} not aligned, {low_confidence} low confidence ({aligner}, {speed}× real time)</source>
        <translation>已对齐 {aligned}/{words} 个词，{not_aligned} 个未对齐，{low_confidence} 个置信度低（{aligner}，{speed} 倍实时速度）</translation>
    </message>
    <message>
        <source>No word of {projects} is verified: lock the words whose times you corrected, then try again.</source>
        <translation>{projects} 中没有已核实的词：请锁定您修正过时间的词，然后再试一次。</translation>
    </message>
    <message>
        <source>The audio of the project “{project}” is not at “{path}”; open the project and locate it.</source>
        <translation>项目“{project}”的音频不在“{path}”；请打开该项目并找到音频。</translation>
    </message>
    <message>
        <source>The audio file “{path}” of the project “{project}” is not the recording it was timed on; locate the right one.</source>
        <translation>项目“{project}”的音频文件“{path}”不是当初对时所用的录音；请找到正确的文件。</translation>
    </message>
    <message>
        <source>The project “{project}” has no audio file, so its words cannot teach an aligner.</source>
        <translation>项目“{project}”没有音频文件，其中的词无法用来训练对齐器。</translation>
    </message>
    <message>
        <source>The project “{project}” is in “{language}”, the others in “{expected}”; use one language per training set.</source>
        <translation>项目“{project}”的语言是“{language}”，其他项目是“{expected}”；每个训练集只能用一种语言。</translation>
    </message>
    <message>
        <source>“{path}” is not a Wordsync project ({reason}).</source>
        <translation>“{path}”不是 Wordsync 项目（{reason}）。</translation>
    </message>
    <message>
        <source>“{path}” line {line} is not a training segment: {reason}.</source>
        <translation>“{path}”第 {line} 行不是训练片段：{reason}。</translation>
    </message>
    <message>
        <source>“{path}” holds no training segment with a verified word.</source>
        <translation>“{path}”中没有含已核实词的训练片段。</translation>
    </message>
    <message>
        <source>Fine-tuning needs the Python package “peft” (pip install &apos;wordsync[finetune]&apos;).</source>
        <translation>微调需要 Python 包“peft”（pip install &apos;wordsync[finetune]&apos;）。</translation>
    </message>
    <message>
        <source>“{path}” is not a usable aligner adaptation ({reason}); build it again.</source>
        <translation>“{path}”不是可用的对齐器适配（{reason}）；请重新生成。</translation>
    </message>
    <message>
        <source>There are no gold word times for “{name}” in “{gold}” (expected “{expected}”).</source>
        <translation>“{gold}”中没有“{name}”的标准词时间（应为“{expected}”）。</translation>
    </message>
    <message>
        <source>The audio file “{name}” has no transcript next to it (“{expected}”).</source>
        <translation>音频文件“{name}”旁边没有文字稿（“{expected}”）。</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>disk device</source>
        <translation>磁盘设备</translation>
    </message>
    <message>
        <source>named pipe</source>
        <translation>命名管道</translation>
    </message>
    <message>
        <source>socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <source>special file</source>
        <translation>特殊文件</translation>
    </message>
    <message>
        <source>“{0}”</source>
        <comment>one name in a list of names</comment>
        <translation>“{0}”</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between names in a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是文件夹</translation>
    </message>
    <message>
        <source>a part of the path is not a folder</source>
        <translation>路径中的某一部分不是文件夹</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>磁盘为只读</translation>
    </message>
    <message>
        <source>the disk could not be read or written (input/output error)</source>
        <translation>无法读写磁盘（输入/输出错误）</translation>
    </message>
    <message>
        <source>the file name is too long</source>
        <translation>文件名过长</translation>
    </message>
    <message>
        <source>the path loops through symbolic links</source>
        <translation>路径中的符号链接形成了循环</translation>
    </message>
    <message>
        <source>the file is in use</source>
        <translation>文件正在使用中</translation>
    </message>
</context>
<context>
    <name>CueEditingController</name>
    <message>
        <source>Create cue fr&amp;om selection</source>
        <translation>从所选内容创建字幕(&amp;O)</translation>
    </message>
    <message>
        <source>Delete cue (keep its &amp;words)</source>
        <translation>删除字幕（保留其中的词）(&amp;W)</translation>
    </message>
    <message>
        <source>Mer&amp;ge cue with previous</source>
        <translation>与上一条字幕合并(&amp;G)</translation>
    </message>
    <message>
        <source>Cue position and st&amp;yle…</source>
        <translation>字幕位置和样式(&amp;Y)…</translation>
    </message>
    <message>
        <source>Create cue</source>
        <translation>创建字幕</translation>
    </message>
    <message>
        <source>Sound cue</source>
        <translation>声音字幕</translation>
    </message>
    <message>
        <source>No words there. Label of the sound cue:</source>
        <translation>此处没有词。声音字幕的标签：</translation>
    </message>
    <message>
        <source>[music]</source>
        <translation>[音乐]</translation>
    </message>
    <message>
        <source>Create sound cue</source>
        <translation>创建声音字幕</translation>
    </message>
    <message>
        <source>Delete cue</source>
        <translation>删除字幕</translation>
    </message>
    <message>
        <source>Merge cues</source>
        <translation>合并字幕条</translation>
    </message>
    <message>
        <source>Cue position and style</source>
        <translation>字幕位置和样式</translation>
    </message>
</context>
<context>
    <name>CueLookDialog</name>
    <message>
        <source>Cue position and style</source>
        <translation>字幕位置和样式</translation>
    </message>
    <message>
        <source>Profile default</source>
        <translation>按规则配置默认</translation>
    </message>
    <message>
        <source>Top left</source>
        <translation>左上</translation>
    </message>
    <message>
        <source>Top centre</source>
        <translation>顶部居中</translation>
    </message>
    <message>
        <source>Top right</source>
        <translation>右上</translation>
    </message>
    <message>
        <source>Middle left</source>
        <translation>左侧居中</translation>
    </message>
    <message>
        <source>Middle centre</source>
        <translation>正中</translation>
    </message>
    <message>
        <source>Middle right</source>
        <translation>右侧居中</translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation>左下</translation>
    </message>
    <message>
        <source>Bottom centre</source>
        <translation>底部居中</translation>
    </message>
    <message>
        <source>Bottom right</source>
        <translation>右下</translation>
    </message>
    <message>
        <source>{0} (\an{1})</source>
        <translation>{0}（\an{1}）</translation>
    </message>
    <message>
        <source>At a &amp;point</source>
        <translation>指定坐标(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Alignment:</source>
        <translation>对齐方式(&amp;A)：</translation>
    </message>
    <message>
        <source>ASS &amp;style:</source>
        <translation>ASS 样式(&amp;S)：</translation>
    </message>
    <message>
        <source>An ASS style name: the export adds a style of that name (a copy of Default) to restyle in Aegisub.</source>
        <translation>ASS 样式名：导出时会添加同名样式（复制自 Default），可在 Aegisub 中修改。</translation>
    </message>
    <message>
        <source>Position (x, y):</source>
        <translation>位置 (x, y)：</translation>
    </message>
</context>
<context>
    <name>CueTableModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>CPS</source>
        <translation>字符/秒</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Emotion</source>
        <translation>情绪</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Happy</source>
        <translation>开心</translation>
    </message>
    <message>
        <source>Sad</source>
        <translation>悲伤</translation>
    </message>
    <message>
        <source>Angry</source>
        <translation>生气</translation>
    </message>
    <message>
        <source>Fearful</source>
        <translation>恐惧</translation>
    </message>
    <message>
        <source>Disgusted</source>
        <translation>厌恶</translation>
    </message>
    <message>
        <source>Surprised</source>
        <translation>惊讶</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>平静</translation>
    </message>
    <message>
        <source>A sound, not speech: it keeps its own times.</source>
        <translation>这是声音，不是语音：它保留自己的时间。</translation>
    </message>
    <message>
        <source>{0}.</source>
        <translation>{0}。</translation>
    </message>
    <message>
        <source>Edit cue {0} text</source>
        <translation>编辑第 {0} 个字幕条的文本</translation>
    </message>
    <message>
        <source>“{0}” is not a time (for example 0:01:02.345 or 62.3).</source>
        <translation>“{0}”不是有效的时间（例如 0:01:02.345 或 62.3）。</translation>
    </message>
    <message>
        <source>Move cue {0} start</source>
        <translation>移动第 {0} 个字幕条的开始</translation>
    </message>
    <message>
        <source>Move cue {0} end</source>
        <translation>移动第 {0} 个字幕条的结束</translation>
    </message>
</context>
<context>
    <name>EditingController</name>
    <message>
        <source>Nudge boundary left (100 ms)</source>
        <translation>边界左移（100 毫秒）</translation>
    </message>
    <message>
        <source>Nudge boundary right (100 ms)</source>
        <translation>边界右移（100 毫秒）</translation>
    </message>
    <message>
        <source>Previous boundary</source>
        <translation>上一个边界</translation>
    </message>
    <message>
        <source>Next boundary</source>
        <translation>下一个边界</translation>
    </message>
    <message>
        <source>&amp;Lock words</source>
        <translation>锁定词(&amp;L)</translation>
    </message>
    <message>
        <source>Nudge boundary left (10 ms)</source>
        <translation>边界左移（10 毫秒）</translation>
    </message>
    <message>
        <source>Nudge boundary right (10 ms)</source>
        <translation>边界右移（10 毫秒）</translation>
    </message>
    <message>
        <source>Edit word te&amp;xt…</source>
        <translation>编辑词文本(&amp;X)…</translation>
    </message>
    <message>
        <source>Unloc&amp;k words</source>
        <translation>解除锁定(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Split cue here</source>
        <translation>在此拆分字幕条(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Merge cue with next</source>
        <translation>与下一字幕条合并(&amp;M)</translation>
    </message>
    <message>
        <source>Next flagged word</source>
        <translation>下一个标记的词</translation>
    </message>
    <message>
        <source>Previous flagged word</source>
        <translation>上一个标记的词</translation>
    </message>
    <message>
        <source>Re-se&amp;gment cues</source>
        <translation>重新划分字幕条(&amp;G)</translation>
    </message>
    <message>
        <source>Cue &amp;profile</source>
        <translation>字幕条规则配置(&amp;P)</translation>
    </message>
    <message>
        <source>General (English)</source>
        <translation>通用（英语）</translation>
    </message>
    <message>
        <source>Netflix-style English</source>
        <translation>Netflix 风格英语</translation>
    </message>
    <message>
        <source>Netflix-style Simplified Chinese</source>
        <translation>Netflix 风格简体中文</translation>
    </message>
    <message>
        <source>One line (English)</source>
        <translation>单行（英语）</translation>
    </message>
    <message>
        <source>Karaoke (one lyric line per cue)</source>
        <translation>卡拉 OK（每个字幕条一行歌词）</translation>
    </message>
    <message>
        <source>The boundary cannot move further that way.</source>
        <translation>边界无法再向该方向移动。</translation>
    </message>
    <message>
        <source>Nudge boundary</source>
        <translation>微调边界</translation>
    </message>
    <message>
        <source>Boundary at {0:.3f} s</source>
        <translation>边界位于 {0:.3f} 秒</translation>
    </message>
    <message>
        <source>Split cue</source>
        <translation>拆分字幕条</translation>
    </message>
    <message>
        <source>Merge cues</source>
        <translation>合并字幕条</translation>
    </message>
    <message>
        <source>Lock words</source>
        <translation>锁定词</translation>
    </message>
    <message>
        <source>Unlock words</source>
        <translation>解除锁定词</translation>
    </message>
    <message>
        <source>Edit word</source>
        <translation>编辑词</translation>
    </message>
    <message>
        <source>Text of word {0} (several words replace it; empty deletes it):</source>
        <translation>第 {0} 个词的文本（输入多个词将替换它；留空则删除它）：</translation>
    </message>
    <message>
        <source>The cues already follow the {0} rules.</source>
        <translation>字幕条已符合“{0}”规则。</translation>
    </message>
    <message>
        <source>Re-segment cues</source>
        <translation>重新划分字幕条</translation>
    </message>
    <message>
        <source>{0} cues ({1})</source>
        <translation>{0} 个字幕条（{1}）</translation>
    </message>
    <message>
        <source>No flagged or low-confidence words.</source>
        <translation>没有标记的词或低置信度的词。</translation>
    </message>
    <message>
        <source>Word {0} “{1}”: confidence {2} {3}</source>
        <translation>第 {0} 个词“{1}”：置信度 {2} {3}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>SubRip subtitles (.srt)</source>
        <translation>SubRip 字幕 (.srt)</translation>
    </message>
    <message>
        <source>WebVTT subtitles (.vtt)</source>
        <translation>WebVTT 字幕 (.vtt)</translation>
    </message>
    <message>
        <source>Advanced SubStation Alpha (.ass)</source>
        <translation>Advanced SubStation Alpha 字幕 (.ass)</translation>
    </message>
    <message>
        <source>Praat TextGrid (.TextGrid)</source>
        <translation>Praat TextGrid (.TextGrid)</translation>
    </message>
    <message>
        <source>Word timings, JSON (.json)</source>
        <translation>逐词时间，JSON (.json)</translation>
    </message>
    <message>
        <source>&amp;Karaoke timing (highlight each word as it is sung)</source>
        <translation>卡拉 OK 时间（演唱时逐词高亮）(&amp;K)</translation>
    </message>
    <message>
        <source>General (English)</source>
        <translation>通用（英语）</translation>
    </message>
    <message>
        <source>Netflix-style English</source>
        <translation>Netflix 风格英语</translation>
    </message>
    <message>
        <source>Netflix-style Simplified Chinese</source>
        <translation>Netflix 风格简体中文</translation>
    </message>
    <message>
        <source>One line (English)</source>
        <translation>单行（英语）</translation>
    </message>
    <message>
        <source>Karaoke (one lyric line per cue)</source>
        <translation>卡拉 OK（每个字幕条一行歌词）</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Added to every time; negative values make subtitles earlier.</source>
        <translation>加到每个时间上；负值会让字幕提前。</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Repair or drop subtitles that would be lost or broken</source>
        <translation>修复或丢弃会丢失或损坏的字幕(&amp;R)</translation>
    </message>
    <message>
        <source>Write the &amp;emotion of each subtitle (SRT: [HAPPY], VTT: a class, ASS: the Name field)</source>
        <translation>写出每条字幕的情绪（SRT：[HAPPY]，VTT：类，ASS：Name 字段）(&amp;E)</translation>
    </message>
    <message>
        <source>Include &amp;sound cues such as [music] or (laughter)</source>
        <translation>包含声音字幕，如 [music] 或 (laughter)(&amp;S)</translation>
    </message>
    <message>
        <source>Word labels &amp;without punctuation (TextGrid)</source>
        <translation>词标签不带标点 (TextGrid)(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Phone tier (TextGrid, JSON)</source>
        <translation>音素层 (TextGrid, JSON)(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Rules:</source>
        <translation>规则(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Offset:</source>
        <translation>偏移(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>保存到(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>Would be lost or broken: {0}</source>
        <translation>将会丢失或损坏：{0}</translation>
    </message>
    <message>
        <source>The phone tier needs “Align phones” (Timing menu) and a re-align: this document has no phones yet.</source>
        <translation>音素层需要先打开“对齐音素”（时间轴菜单）并重新对齐：此文档还没有音素。</translation>
    </message>
    <message numerus="yes">
        <source>%n subtitle(s) would be lost or broken: fix them in the editor, or turn on repairing below.</source>
        <translation>
            <numerusform>%n 条字幕将会丢失或损坏：请在编辑器中修正，或开启下方的修复选项。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rule violation(s) or note(s); the file can still be written.</source>
        <translation>
            <numerusform>%n 处违反规则或提示；文件仍可写入。</numerusform>
        </translation>
    </message>
    <message>
        <source>No rule violations.</source>
        <translation>没有违反规则之处。</translation>
    </message>
    <message>
        <source>Choose where to write the file.</source>
        <translation>请选择文件的保存位置。</translation>
    </message>
    <message>
        <source>Nothing was written: {0} subtitle(s) would be lost or broken. Turn on repairing to export anyway.</source>
        <translation>未写入任何内容：{0} 条字幕将会丢失或损坏。开启修复选项即可照常导出。</translation>
    </message>
    <message>
        <source>Nothing was written: {0}</source>
        <translation>未写入任何内容：{0}</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>Exported {0}: {1} subtitle(s), {2} word(s), {3} note(s)</source>
        <translation>已导出 {0}：{1} 条字幕，{2} 个词，{3} 条提示</translation>
    </message>
</context>
<context>
    <name>FilesController</name>
    <message>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export subtitles…</source>
        <translation>导出字幕(&amp;E)…</translation>
    </message>
    <message>
        <source>{0} no longer exists.</source>
        <translation>{0} 已不存在。</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Wordsync projects (*{0})</source>
        <translation>Wordsync 项目 (*{0})</translation>
    </message>
    <message>
        <source>Could not save {0}: {1}</source>
        <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Wordsync projects (*{0});;All files (*)</source>
        <translation>Wordsync 项目 (*{0});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a project on its own, not together with other files.</source>
        <translation>请单独打开项目，不要与其他文件一起打开。</translation>
    </message>
    <message>
        <source>{0} was saved by a newer Wordsync (format {1}); this version reads formats up to {2}.</source>
        <translation>{0} 由较新版本的 Wordsync 保存（格式 {1}）；此版本最高只能读取格式 {2}。</translation>
    </message>
    <message>
        <source>Could not open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <source>Could not read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>Opened {0} without its audio</source>
        <translation>已打开 {0}（未加载其音频）</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>The audio file {0} is not the one this project was saved with: it was changed or replaced, so the word times may not fit it. Use it anyway?</source>
        <translation>音频文件 {0} 与保存此项目时使用的不同：它已被修改或替换，词的时间可能与之不符。仍要使用吗？</translation>
    </message>
    <message>
        <source>The audio file {0} was not found. Do you want to locate it?</source>
        <translation>找不到音频文件 {0}。要手动查找它吗？</translation>
    </message>
    <message>
        <source>Locate {0}</source>
        <translation>查找 {0}</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Audio and video ({0})</source>
        <translation>音频和视频 ({0})</translation>
    </message>
    <message>
        <source>{0} is not the audio this project was saved with (its size or content differs), so the word times may not fit it. Use it anyway?</source>
        <translation>{0} 不是保存此项目时使用的音频（大小或内容不同），词的时间可能与之不符。仍要使用吗？</translation>
    </message>
    <message>
        <source>Wordsync</source>
        <translation>Wordsync</translation>
    </message>
    <message>
        <source>Could not restore {0}: {1}</source>
        <translation>无法恢复 {0}：{1}</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Restored unsaved work of {0}</source>
        <translation>已恢复 {0} 未保存的工作</translation>
    </message>
    <message>
        <source>Could not remove {0}: {1}</source>
        <translation>无法删除 {0}：{1}</translation>
    </message>
    <message>
        <source>Do you want to save the changes to {0}?</source>
        <translation>要保存对 {0} 的更改吗？</translation>
    </message>
    <message>
        <source>Do you want to save your work on {0} as a project?</source>
        <translation>要把对 {0} 所做的工作保存为项目吗？</translation>
    </message>
    <message>
        <source>Do you want to save your work as a project?</source>
        <translation>要把当前工作保存为项目吗？</translation>
    </message>
    <message>
        <source>Your changes will be lost if you don&apos;t save them.</source>
        <translation>如果不保存，您的更改将会丢失。</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in cues and words</source>
        <translation>在字幕条和词中查找</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配项（Shift+F3）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>下一个匹配项（F3）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <source>Find with a Python regular expression; \1 in the replacement is its first group</source>
        <translation>用 Python 正则表达式查找；替换内容中的 \1 表示第一个分组</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>全词匹配</translation>
    </message>
    <message>
        <source>In selection</source>
        <translation>仅在选区内</translation>
    </message>
    <message>
        <source>Find and replace only in the words selected when this was ticked</source>
        <translation>只在勾选此项时所选的词中查找和替换</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <source>Replace:</source>
        <translation>替换：</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find pre&amp;vious</source>
        <translation>查找上一个(&amp;V)</translation>
    </message>
    <message>
        <source>R&amp;eplace…</source>
        <translation>替换(&amp;E)…</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>无匹配项</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>第 {0} 个，共 {1} 个</translation>
    </message>
    <message>
        <source>{0} of {1} (wrapped)</source>
        <translation>第 {0} 个，共 {1} 个（已从头开始）</translation>
    </message>
    <message>
        <source>Select the words to search in first.</source>
        <translation>请先选择要在其中查找的词。</translation>
    </message>
    <message>
        <source>Nothing to change</source>
        <translation>没有需要更改的内容</translation>
    </message>
    <message>
        <source>{0} replaced</source>
        <translation>已替换 {0} 处</translation>
    </message>
    <message>
        <source>{0} replaced; re-align to time the changed words</source>
        <translation>已替换 {0} 处；请重新对齐以给改动的词计时</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Wordsync</source>
        <translation>关于 Wordsync(&amp;A)</translation>
    </message>
</context>
<context>
    <name>ImproveController</name>
    <message>
        <source>&amp;Improve the aligner from my corrections…</source>
        <translation>根据我的修正改进对齐器(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>ImproveDialog</name>
    <message>
        <source>Improve the aligner</source>
        <translation>改进对齐器</translation>
    </message>
    <message>
        <source>Add other projects…</source>
        <translation>添加其他项目…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel training</source>
        <translation>取消训练</translation>
    </message>
    <message>
        <source>Use it for this language</source>
        <translation>用于此语言</translation>
    </message>
    <message>
        <source>Only the offline aligner and Qwen3-ForcedAligner can learn from corrections; choose one in Alignment settings.</source>
        <translation>只有离线对齐器和 Qwen3-ForcedAligner 能从修正中学习；请在对齐设置中选择其一。</translation>
    </message>
    <message>
        <source>the open document</source>
        <translation>当前打开的文档</translation>
    </message>
    <message>
        <source>The open document holds {0} verified (locked) words.</source>
        <translation>当前文档有 {0} 个已核实（锁定）的词。</translation>
    </message>
    <message>
        <source>The offline aligner learns boundary offsets from them.</source>
        <translation>离线对齐器将从中学习边界偏移。</translation>
    </message>
    <message>
        <source>Qwen3-ForcedAligner ({0}) gets a LoRA adapter trained on them.</source>
        <translation>将用它们为 Qwen3-ForcedAligner（{0}）训练一个 LoRA 适配器。</translation>
    </message>
    <message>
        <source>{0} verified words in {1} segment(s) for training and {2} held out.</source>
        <translation>{0} 个已核实的词，{1} 个片段用于训练，{2} 个留作评估。</translation>
    </message>
    <message>
        <source>With one recording, its last part is held out to measure the result.</source>
        <translation>只有一个录音时，留出其最后一部分来衡量效果。</translation>
    </message>
    <message>
        <source>Expected time on this machine: unknown.</source>
        <translation>在本机上的预计时间：未知。</translation>
    </message>
    <message>
        <source>Expected time on this machine: about {0}.</source>
        <translation>在本机上的预计时间：约 {0}。</translation>
    </message>
    <message>
        <source>Saved in: {0}</source>
        <translation>保存位置：{0}</translation>
    </message>
    <message>
        <source>Folder for the improved aligner</source>
        <translation>改进后对齐器的文件夹</translation>
    </message>
    <message>
        <source>Projects with corrections</source>
        <translation>含修正的项目</translation>
    </message>
    <message>
        <source>Wordsync projects (*.wordsync)</source>
        <translation>Wordsync 项目 (*.wordsync)</translation>
    </message>
    <message>
        <source>Done: saved in {0}</source>
        <translation>完成：已保存到 {0}</translation>
    </message>
    <message>
        <source>Cancelled; starting again resumes where it stopped.</source>
        <translation>已取消；再次开始时会从中断处继续。</translation>
    </message>
    <message>
        <source>The improved aligner is used for {0} from now on.</source>
        <translation>从现在起，{0} 使用改进后的对齐器。</translation>
    </message>
    <message>
        <source>Nothing was held out, so the result was not measured.</source>
        <translation>没有留出评估数据，因此未衡量效果。</translation>
    </message>
    <message>
        <source>mean error</source>
        <translation>平均误差</translation>
    </message>
    <message>
        <source>within 20 ms</source>
        <translation>20 毫秒以内</translation>
    </message>
    <message>
        <source>within 50 ms</source>
        <translation>50 毫秒以内</translation>
    </message>
    <message>
        <source>before</source>
        <translation>改进前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>改进后</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>界面语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language changes to {0} when you restart Wordsync.</source>
        <translation>重新启动 Wordsync 后，界面语言将切换为{0}。</translation>
    </message>
    <message>
        <source>{0} is set and overrides this choice.</source>
        <translation>已设置环境变量 {0}，它优先于此处的选择。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Wordsync</source>
        <translation>Wordsync</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Timing</source>
        <translation>时间轴(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open audio and transcript…</source>
        <translation>打开音频和文稿(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Open &amp;example</source>
        <translation>打开示例(&amp;E)</translation>
    </message>
    <message>
        <source>Open audio or video and its transcript</source>
        <translation>打开音频或视频及其文稿</translation>
    </message>
    <message>
        <source>Media and transcripts (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.mp4 *.mkv *.webm *.mov *.txt *.srt *.vtt *.ass);;All files (*)</source>
        <translation>媒体和文稿 (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.mp4 *.mkv *.webm *.mov *.txt *.srt *.vtt *.ass);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open one audio or video file and one transcript at a time.</source>
        <translation>每次只能打开一个音频或视频文件和一个文稿。</translation>
    </message>
    <message>
        <source>Could not read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>The transcript {0} has no words.</source>
        <translation>文稿 {0} 中没有任何词。</translation>
    </message>
    <message>
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <source>Opened {0} ({1:.1f} s)</source>
        <translation>已打开 {0}（{1:.1f} 秒）</translation>
    </message>
    <message>
        <source>{0} is shorter ({1:.1f} s) than the word times of the open document ({2:.1f} s); is it the recording they were aligned to?</source>
        <translation>{0} 的时长（{1:.1f} 秒）短于当前文档中词的时间（{2:.1f} 秒）；它是对齐时所用的录音吗？</translation>
    </message>
    <message>
        <source>Undone: {0}</source>
        <translation>已撤销：{0}</translation>
    </message>
    <message>
        <source>Redone: {0}</source>
        <translation>已重做：{0}</translation>
    </message>
</context>
<context>
    <name>ModelDownloadDialog</name>
    <message>
        <source>Download {0}</source>
        <translation>下载 {0}</translation>
    </message>
    <message>
        <source>{0} is not on this computer yet. Wordsync can download it once, or use a copy you already have.</source>
        <translation>本机上还没有 {0}。Wordsync 可以下载一次，也可以使用您已有的副本。</translation>
    </message>
    <message>
        <source>Asking the model hub for the download size…</source>
        <translation>正在向模型仓库查询下载大小…</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Use a &amp;folder I already have…</source>
        <translation>使用已有的文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Use the &amp;offline aligner</source>
        <translation>使用离线对齐器(&amp;O)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Another model download is still stopping; try again in a moment.</source>
        <translation>另一个模型下载仍在停止中，请稍后再试。</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>Download size: {0}; {1} are still to fetch (an earlier download is resumed).</source>
        <translation>下载大小：{0}；还需获取 {1}（将继续之前的下载）。</translation>
    </message>
    <message>
        <source>&amp;Resume download</source>
        <translation>继续下载(&amp;R)</translation>
    </message>
    <message>
        <source>Download size: {0}, saved in {1}.</source>
        <translation>下载大小：{0}，保存在 {1}。</translation>
    </message>
    <message>
        <source>The model hub cannot be reached, so {0} cannot be downloaded now; the offline aligner (English) works without a network.</source>
        <translation>无法连接模型仓库，暂时无法下载 {0}；离线对齐器（英语）无需网络即可使用。</translation>
    </message>
    <message>
        <source>The model hub cannot be reached, so {0} cannot be downloaded now. Connect to the network and try again, or use a model folder you already have.</source>
        <translation>无法连接模型仓库，现在不能下载{0}。请连接网络后重试，或使用已有的模型文件夹。</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <source>&amp;Stop download</source>
        <translation>停止下载(&amp;S)</translation>
    </message>
    <message>
        <source>Downloading into {0}…</source>
        <translation>正在下载到 {0}…</translation>
    </message>
    <message>
        <source>Download stopped. What arrived is kept: Resume download continues from there.</source>
        <translation>下载已停止。已下载的部分会保留：“继续下载”将从中断处接着下载。</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>That folder cannot be used: {0}</source>
        <translation>无法使用该文件夹：{0}</translation>
    </message>
</context>
<context>
    <name>OverviewStrip</name>
    <message>
        <source>Whole file: click or drag to scroll</source>
        <translation>整个文件：单击或拖动以滚动</translation>
    </message>
</context>
<context>
    <name>PlaybackController</name>
    <message>
        <source>Playback is unavailable: the PortAudio library could not be loaded ({0}).</source>
        <translation>无法播放：未能加载 PortAudio 库（{0}）。</translation>
    </message>
    <message>
        <source>Playback is unavailable: no audio output device was found.</source>
        <translation>无法播放：未找到音频输出设备。</translation>
    </message>
    <message>
        <source>The word has no times yet: align first.</source>
        <translation>该词还没有时间，请先对齐。</translation>
    </message>
    <message>
        <source>Select a cue to play.</source>
        <translation>请选择要播放的字幕条。</translation>
    </message>
    <message>
        <source>The cue has no times yet: align first.</source>
        <translation>该字幕条还没有时间，请先对齐。</translation>
    </message>
    <message>
        <source>Select a time range or some aligned words to play.</source>
        <translation>请选择要播放的时间范围或已对齐的词。</translation>
    </message>
    <message>
        <source>Playback speed {0}×</source>
        <translation>播放速度 {0}×</translation>
    </message>
    <message>
        <source>Nothing to play: the range is empty.</source>
        <translation>没有可播放的内容：范围为空。</translation>
    </message>
    <message>
        <source>Playback is unavailable: the audio output could not be opened ({0}).</source>
        <translation>无法播放：未能打开音频输出（{0}）。</translation>
    </message>
    <message>
        <source>Playback is unavailable: the audio output could not be started ({0}).</source>
        <translation>无法播放：未能启动音频输出（{0}）。</translation>
    </message>
    <message>
        <source>Playback stopped: the audio device stopped or was disconnected.</source>
        <translation>播放已停止：音频设备已停止或已断开。</translation>
    </message>
    <message>
        <source>Playback stopped: the audio device is not responding.</source>
        <translation>播放已停止：音频设备无响应。</translation>
    </message>
</context>
<context>
    <name>PlaybackUi</name>
    <message>
        <source>&amp;Play / Pause</source>
        <translation>播放/暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Play &amp;word</source>
        <translation>播放词(&amp;W)</translation>
    </message>
    <message>
        <source>Play &amp;cue</source>
        <translation>播放字幕条(&amp;C)</translation>
    </message>
    <message>
        <source>Play &amp;selection</source>
        <translation>播放所选内容(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Loop</source>
        <translation>循环播放(&amp;L)</translation>
    </message>
    <message>
        <source>Sl&amp;ower</source>
        <translation>减速(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Faster</source>
        <translation>加速(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Normal speed</source>
        <translation>正常速度(&amp;N)</translation>
    </message>
    <message>
        <source>{0}×</source>
        <translation>{0}×</translation>
    </message>
    <message>
        <source>Playback speed (pitch is kept)</source>
        <translation>播放速度（保持音调）</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play or pause from the playhead (Space)</source>
        <translation>从播放头处播放或暂停（空格键）</translation>
    </message>
</context>
<context>
    <name>RecentMenu</name>
    <message>
        <source>&amp;Clear list</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>Wordsync did not close properly last time. This unsaved work can be restored:</source>
        <translation>Wordsync 上次未正常关闭。可以恢复以下未保存的工作：</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{0} — autosaved {1}</source>
        <translation>{0} — 自动保存于 {1}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Search commands or keys</source>
        <translation>搜索命令或按键</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Press the new key for the selected command</source>
        <translation>为所选命令按下新的按键</translation>
    </message>
    <message>
        <source>&amp;Reset to default</source>
        <translation>恢复默认(&amp;R)</translation>
    </message>
    <message>
        <source>Shortcut:</source>
        <translation>快捷键：</translation>
    </message>
    <message>
        <source>Other commands</source>
        <translation>其他命令</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>{0} is already used by “{1}”.</source>
        <translation>{0} 已被“{1}”使用。</translation>
    </message>
    <message>
        <source>“{0}”: {1}</source>
        <translation>“{0}”：{1}</translation>
    </message>
    <message>
        <source>no shortcut</source>
        <translation>无快捷键</translation>
    </message>
</context>
<context>
    <name>SpanTranscriptionController</name>
    <message>
        <source>T&amp;ranscribe this span</source>
        <translation>转写此片段(&amp;R)</translation>
    </message>
    <message>
        <source>Transcribing {0:.1f}–{1:.1f} s</source>
        <translation>正在转写 {0:.1f}–{1:.1f} 秒</translation>
    </message>
    <message>
        <source>The document changed during transcription; the draft was dropped.</source>
        <translation>转写期间文档已更改；草稿已丢弃。</translation>
    </message>
    <message>
        <source>Transcribe span</source>
        <translation>转写片段</translation>
    </message>
</context>
<context>
    <name>SpectrogramSettingsDialog</name>
    <message>
        <source>Spectrogram settings</source>
        <translation>频谱图设置</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>5 ms (broadband) shows formants and the edges of sounds; 30 ms (narrowband) shows the harmonics of the voice.</source>
        <translation>5 毫秒（宽带）显示共振峰和声音的起止；30 毫秒（窄带）显示嗓音的谐波。</translation>
    </message>
    <message>
        <source>&amp;Window length:</source>
        <translation>窗长(&amp;W)：</translation>
    </message>
    <message>
        <source> Hz</source>
        <translation> Hz</translation>
    </message>
    <message>
        <source>The highest frequency shown; the editor&apos;s audio holds frequencies up to 8000 Hz.</source>
        <translation>显示的最高频率；编辑器中的音频最高含 8000 Hz 的频率。</translation>
    </message>
    <message>
        <source>&amp;Maximum frequency:</source>
        <translation>最高频率(&amp;M)：</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>How far below the loudest sounds the picture still shows something.</source>
        <translation>比最响的声音低多少分贝以内仍在图中显示。</translation>
    </message>
    <message>
        <source>&amp;Dynamic range:</source>
        <translation>动态范围(&amp;D)：</translation>
    </message>
    <message>
        <source>Grey (as in Praat)</source>
        <translation>灰度（与 Praat 相同）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation>颜色(&amp;C)：</translation>
    </message>
    <message>
        <source>Word boundaries are drawn over the spectrogram and can be dragged there.</source>
        <translation>词边界画在频谱图上，也可以在频谱图上拖动。</translation>
    </message>
</context>
<context>
    <name>SpectrogramView</name>
    <message>
        <source>{0:g} kHz</source>
        <translation>{0:g} kHz</translation>
    </message>
</context>
<context>
    <name>SpellCheckController</name>
    <message>
        <source>Spell c&amp;heck…</source>
        <translation>拼写检查(&amp;H)…</translation>
    </message>
    <message>
        <source>Loading the spelling dictionary</source>
        <translation>正在加载拼写词典</translation>
    </message>
    <message>
        <source>Walk the misspelt words: replace, ignore or add them</source>
        <translation>逐个查看拼写错误的词：替换、忽略或添加</translation>
    </message>
    <message>
        <source>Loading the spelling dictionary…</source>
        <translation>正在加载拼写词典…</translation>
    </message>
    <message>
        <source>Finding spelling suggestions</source>
        <translation>正在查找拼写建议</translation>
    </message>
    <message>
        <source>Correct spelling</source>
        <translation>更正拼写</translation>
    </message>
</context>
<context>
    <name>SpellCheckDialog</name>
    <message>
        <source>Spell check</source>
        <translation>拼写检查</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Ignore</source>
        <translation>忽略(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Add to my words</source>
        <translation>添加到我的词表(&amp;A)</translation>
    </message>
    <message>
        <source>Suggestions:</source>
        <translation>建议：</translation>
    </message>
    <message>
        <source>Change to:</source>
        <translation>改为：</translation>
    </message>
    <message>
        <source>Not in the dictionary: “{0}” (word {1})</source>
        <translation>词典中没有：“{0}”（第 {1} 个词）</translation>
    </message>
    <message>
        <source>Finding suggestions…</source>
        <translation>正在查找建议…</translation>
    </message>
    <message>
        <source>No suggestions</source>
        <translation>没有建议</translation>
    </message>
    <message>
        <source>No misspelt words.</source>
        <translation>没有拼写错误的词。</translation>
    </message>
</context>
<context>
    <name>TablesPanel</name>
    <message>
        <source>Cues</source>
        <translation>字幕条</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>词</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running task (Esc)</source>
        <translation>取消正在运行的任务（Esc）</translation>
    </message>
    <message>
        <source>Please wait for the current task to finish or cancel it.</source>
        <translation>请等待当前任务完成，或将其取消。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>TiersController</name>
    <message>
        <source>T&amp;iers</source>
        <translation>标注层(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;New interval tier…</source>
        <translation>新建区间层(&amp;N)…</translation>
    </message>
    <message>
        <source>New &amp;point tier…</source>
        <translation>新建点层(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Tiers…</source>
        <translation>标注层(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Current tier</source>
        <translation>当前层(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Add interval from selection…</source>
        <translation>从所选内容添加区间(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit interval label…</source>
        <translation>编辑区间标签(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete interval</source>
        <translation>删除区间(&amp;D)</translation>
    </message>
    <message>
        <source>New interval tier</source>
        <translation>新建区间层</translation>
    </message>
    <message>
        <source>New point tier</source>
        <translation>新建点层</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>添加层</translation>
    </message>
    <message>
        <source>Rename tier</source>
        <translation>重命名层</translation>
    </message>
    <message>
        <source>Remove tier</source>
        <translation>删除层</translation>
    </message>
    <message>
        <source>Tier name:</source>
        <translation>层名称：</translation>
    </message>
    <message>
        <source>New interval on “{0}”</source>
        <translation>在“{0}”上新建区间</translation>
    </message>
    <message>
        <source>Add interval</source>
        <translation>添加区间</translation>
    </message>
    <message>
        <source>Label on “{0}”</source>
        <translation>“{0}”上的标签</translation>
    </message>
    <message>
        <source>Edit interval label</source>
        <translation>编辑区间标签</translation>
    </message>
    <message>
        <source>Delete interval</source>
        <translation>删除区间</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>标签：</translation>
    </message>
</context>
<context>
    <name>TiersDialog</name>
    <message>
        <source>Annotation tiers</source>
        <translation>标注层</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>删除(&amp;M)</translation>
    </message>
    <message>
        <source> (points)</source>
        <translation>（点）</translation>
    </message>
    <message>
        <source>Rename tier</source>
        <translation>重命名层</translation>
    </message>
</context>
<context>
    <name>TimelineDisplay</name>
    <message>
        <source>Wav&amp;eform</source>
        <translation>波形(&amp;E)</translation>
    </message>
    <message>
        <source>S&amp;pectrogram</source>
        <translation>频谱图(&amp;P)</translation>
    </message>
    <message>
        <source>Waveform &amp;and spectrogram</source>
        <translation>波形和频谱图(&amp;A)</translation>
    </message>
    <message>
        <source>Amplitude zoom i&amp;n</source>
        <translation>振幅放大(&amp;N)</translation>
    </message>
    <message>
        <source>Amplitude zoom ou&amp;t</source>
        <translation>振幅缩小(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Reset amplitude zoom</source>
        <translation>重置振幅缩放(&amp;R)</translation>
    </message>
    <message>
        <source>Spectro&amp;gram settings…</source>
        <translation>频谱图设置(&amp;G)…</translation>
    </message>
</context>
<context>
    <name>TimelinePlot</name>
    <message>
        <source>{0:.3f} s</source>
        <translation>{0:.3f} 秒</translation>
    </message>
    <message>
        <source>Move cue edge</source>
        <translation>移动字幕条边缘</translation>
    </message>
    <message>
        <source>Move phone boundary</source>
        <translation>移动音素边界</translation>
    </message>
    <message>
        <source>Move boundary</source>
        <translation>移动边界</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Zoom to &amp;selection</source>
        <translation>缩放到所选内容(&amp;S)</translation>
    </message>
    <message>
        <source>Show &amp;whole file</source>
        <translation>显示整个文件(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Follow playhead</source>
        <translation>跟随播放头(&amp;F)</translation>
    </message>
</context>
<context>
    <name>TimingToolsController</name>
    <message>
        <source>Timing p&amp;ost-processor…</source>
        <translation>时间轴后处理(&amp;O)…</translation>
    </message>
    <message>
        <source>Timing post-processor</source>
        <translation>时间轴后处理</translation>
    </message>
    <message numerus="yes">
        <source>Timing post-processor: %n cue(s) changed.</source>
        <translation>
            <numerusform>时间轴后处理：已改变 %n 条字幕。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimingToolsDialog</name>
    <message>
        <source>Timing post-processor</source>
        <translation>时间轴后处理</translation>
    </message>
    <message>
        <source>&amp;Lead-in (start earlier)</source>
        <translation>提前出现(&amp;L)</translation>
    </message>
    <message>
        <source>Lead-&amp;out (end later)</source>
        <translation>延后消失(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Chain cues closer than</source>
        <translation>连接间隔小于此值的字幕(&amp;C)</translation>
    </message>
    <message>
        <source>Mi&amp;nimum duration</source>
        <translation>最短时长(&amp;N)</translation>
    </message>
    <message>
        <source>Ma&amp;ximum duration</source>
        <translation>最长时长(&amp;X)</translation>
    </message>
    <message>
        <source>Lengthen cues &amp;read faster than</source>
        <translation>延长阅读速度超过此值的字幕(&amp;R)</translation>
    </message>
    <message>
        <source>Snap to s&amp;hot changes within</source>
        <translation>吸附到此范围内的镜头切换(&amp;H)</translation>
    </message>
    <message>
        <source>Snap to video &amp;frames</source>
        <translation>吸附到视频帧(&amp;F)</translation>
    </message>
    <message>
        <source>Minimum &amp;gap between cues</source>
        <translation>字幕之间的最小间隔(&amp;G)</translation>
    </message>
    <message>
        <source>Show each cue this much before its first word; never over the previous cue.</source>
        <translation>每条字幕在其第一个词之前提前这么久出现；不会与上一条字幕重叠。</translation>
    </message>
    <message>
        <source>Keep each cue this much after its last word; never over the next cue.</source>
        <translation>每条字幕在其最后一个词之后多停留这么久；不会与下一条字幕重叠。</translation>
    </message>
    <message>
        <source>Close gaps between cues up to this long, so the screen does not flash empty.</source>
        <translation>合并不超过此长度的字幕间隔，避免画面闪现空白。</translation>
    </message>
    <message>
        <source>Lengthen cues shown too briefly to read at this many characters per second.</source>
        <translation>延长显示时间过短、无法以每秒这么多字符读完的字幕。</translation>
    </message>
    <message>
        <source>Lengthen shorter cues, up to the next cue.</source>
        <translation>延长较短的字幕，最多到下一条字幕开始。</translation>
    </message>
    <message>
        <source>Shorten longer cues, never before their last word ends.</source>
        <translation>缩短较长的字幕，但不会早于其最后一个词结束。</translation>
    </message>
    <message>
        <source>Move cue edges onto a shot change this close, when the words allow it.</source>
        <translation>在词语时间允许时，将字幕边界移到这么近的镜头切换处。</translation>
    </message>
    <message>
        <source>Move cue edges onto the start of a video frame.</source>
        <translation>将字幕边界移到视频帧的起点。</translation>
    </message>
    <message>
        <source>End each cue at least this long before the next begins (up to this much of its last word).</source>
        <translation>每条字幕至少在下一条开始前这么久结束（最多截去其最后一个词的这么多）。</translation>
    </message>
    <message>
        <source>Tools (they run in this order)</source>
        <translation>工具（按此顺序执行）</translation>
    </message>
    <message>
        <source>{0:.3f} frames per second</source>
        <translation>每秒 {0:.3f} 帧</translation>
    </message>
    <message>
        <source>no video open</source>
        <translation>未打开视频</translation>
    </message>
    <message>
        <source> characters/s</source>
        <translation> 字符/秒</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source> % to the earlier cue</source>
        <translation> % 归前一条字幕</translation>
    </message>
    <message>
        <source>Where the two cues meet: 100 % keeps the earlier cue until the later begins, 0 % starts the later cue when the earlier ends.</source>
        <translation>两条字幕的衔接点：100 % 让前一条一直显示到后一条开始，0 % 让后一条在前一条结束时开始。</translation>
    </message>
    <message numerus="yes">
        <source>%n shot change(s) found</source>
        <translation>
            <numerusform>找到 %n 处镜头切换</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Selected cues (%n)</source>
        <translation>
            <numerusform>选中的字幕（%n 条）(&amp;S)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Whole document</source>
        <translation>整个文档(&amp;W)</translation>
    </message>
    <message>
        <source>Apply to:</source>
        <translation>应用于：</translation>
    </message>
    <message>
        <source>lead-in/out</source>
        <translation>提前/延后</translation>
    </message>
    <message>
        <source>chain</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>reading speed</source>
        <translation>阅读速度</translation>
    </message>
    <message>
        <source>minimum duration</source>
        <translation>最短时长</translation>
    </message>
    <message>
        <source>maximum duration</source>
        <translation>最长时长</translation>
    </message>
    <message>
        <source>shot change</source>
        <translation>镜头切换</translation>
    </message>
    <message>
        <source>frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>minimum gap</source>
        <translation>最小间隔</translation>
    </message>
    <message>
        <source>overlap with the next cue</source>
        <translation>与下一条字幕重叠</translation>
    </message>
    <message>
        <source>The minimum duration is longer than the maximum duration.</source>
        <translation>最短时长大于最长时长。</translation>
    </message>
    <message>
        <source>{0} of {1} cues change.</source>
        <translation>{1} 条字幕中有 {0} 条会改变。</translation>
    </message>
    <message>
        <source>Nothing changes with these choices.</source>
        <translation>按这些选择不会有任何改变。</translation>
    </message>
</context>
<context>
    <name>TranscribeDialog</name>
    <message>
        <source>Transcribe</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>&amp;Recogniser:</source>
        <translation>识别器(&amp;R)：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Sound &amp;events (music, laughter, applause) become cues</source>
        <translation>声音事件（音乐、笑声、掌声）成为字幕(&amp;E)</translation>
    </message>
    <message>
        <source>The draft replaces the open words (one undo step); every drafted word waits for your review.</source>
        <translation>草稿会替换当前的词（可一步撤销）；每个草稿词都等待你审阅。</translation>
    </message>
</context>
<context>
    <name>Transcription</name>
    <message>
        <source>Automatic (best installed)</source>
        <translation>自动（已安装的最佳识别器）</translation>
    </message>
    <message>
        <source>SenseVoiceSmall</source>
        <translation>SenseVoiceSmall</translation>
    </message>
    <message>
        <source>Qwen3-ASR</source>
        <translation>Qwen3-ASR</translation>
    </message>
    <message>
        <source>Offline English (rough)</source>
        <translation>离线英语（粗略）</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
</context>
<context>
    <name>TranscriptionController</name>
    <message>
        <source>&amp;Transcribe…</source>
        <translation>转写(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Accept words</source>
        <translation>接受词(&amp;A)</translation>
    </message>
    <message>
        <source>Transcribing {0}</source>
        <translation>正在转写 {0}</translation>
    </message>
    <message>
        <source>The document changed during transcription; the draft was dropped.</source>
        <translation>转写期间文档已更改；草稿已丢弃。</translation>
    </message>
    <message>
        <source>Transcribe</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>Accept words</source>
        <translation>接受词</translation>
    </message>
    <message>
        <source>Accepted {0} word(s).</source>
        <translation>已接受 {0} 个词。</translation>
    </message>
    <message numerus="yes">
        <source>%n drafted word(s) to review</source>
        <translation>
            <numerusform>%n 个草稿词待审阅</numerusform>
        </translation>
    </message>
    <message>
        <source>No transcript: File → Transcribe… drafts one</source>
        <translation>没有文稿：文件 → 转写… 可生成草稿</translation>
    </message>
</context>
<context>
    <name>VideoComponent</name>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>&amp;Video</source>
        <translation>视频(&amp;V)</translation>
    </message>
    <message>
        <source>Next f&amp;rame</source>
        <translation>下一帧(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Highlight spoken words on the video</source>
        <translation>在视频上高亮已说出的词(&amp;H)</translation>
    </message>
    <message>
        <source>Show ti&amp;mes as timecode</source>
        <translation>以时间码显示时间(&amp;M)</translation>
    </message>
    <message>
        <source>Pre&amp;vious frame</source>
        <translation>上一帧(&amp;V)</translation>
    </message>
    <message>
        <source>Snap to s&amp;hot changes</source>
        <translation>吸附到镜头切换(&amp;H)</translation>
    </message>
    <message>
        <source>Snap to video &amp;frames</source>
        <translation>吸附到视频帧(&amp;F)</translation>
    </message>
    <message>
        <source>Frame {0} · {1:.3f} s · {2}</source>
        <translation>第 {0} 帧 · {1:.3f} 秒 · {2}</translation>
    </message>
    <message>
        <source>Finding shot changes</source>
        <translation>正在查找镜头切换</translation>
    </message>
</context>
<context>
    <name>WordEditingController</name>
    <message>
        <source>Insert word &amp;before…</source>
        <translation>在前面插入词(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Insert word after…</source>
        <translation>在后面插入词(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Delete words</source>
        <translation>删除词(&amp;D)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Insert words</source>
        <translation>插入词</translation>
    </message>
    <message>
        <source>Words to insert before word {0}:</source>
        <translation>要插入到第 {0} 个词之前的词：</translation>
    </message>
    <message>
        <source>Words to insert at the end:</source>
        <translation>要插入到末尾的词：</translation>
    </message>
    <message>
        <source>There are no words to insert.</source>
        <translation>没有要插入的词。</translation>
    </message>
    <message>
        <source>{0} words inserted in the gap; re-align to measure them.</source>
        <translation>已在空隙中插入 {0} 个词；请重新对齐以测定其时间。</translation>
    </message>
    <message>
        <source>{0} words inserted without times; re-align to place them.</source>
        <translation>已插入 {0} 个没有时间的词；请重新对齐以确定其位置。</translation>
    </message>
    <message>
        <source>Delete words</source>
        <translation>删除词</translation>
    </message>
    <message>
        <source>{0} words deleted.</source>
        <translation>已删除 {0} 个词。</translation>
    </message>
    <message>
        <source>{0} cues copied.</source>
        <translation>已复制 {0} 条字幕。</translation>
    </message>
    <message>
        <source>{0} words copied.</source>
        <translation>已复制 {0} 个词。</translation>
    </message>
    <message>
        <source>Cut words</source>
        <translation>剪切词</translation>
    </message>
    <message>
        <source>{0} words cut.</source>
        <translation>已剪切 {0} 个词。</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>{0} words pasted with their times.</source>
        <translation>已粘贴 {0} 个词及其时间。</translation>
    </message>
    <message>
        <source>{0} words pasted without times (they do not fit there); re-align to place them.</source>
        <translation>已粘贴 {0} 个词，但没有时间（那里放不下）；请重新对齐以确定其位置。</translation>
    </message>
    <message>
        <source>The clipboard holds no words to paste.</source>
        <translation>剪贴板里没有可粘贴的词。</translation>
    </message>
</context>
<context>
    <name>WordTable</name>
    <message>
        <source>low confidence</source>
        <translation>置信度低</translation>
    </message>
    <message>
        <source>zero length</source>
        <translation>时长为零</translation>
    </message>
    <message>
        <source>same start as a neighbour</source>
        <translation>与相邻词开始时间相同</translation>
    </message>
    <message>
        <source>interpolated</source>
        <translation>插值估算</translation>
    </message>
    <message>
        <source>clamped</source>
        <translation>已截断</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>guessed pronunciation</source>
        <translation>推测发音</translation>
    </message>
    <message>
        <source>collapsed</source>
        <translation>已塌缩</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>draft, not reviewed</source>
        <translation>草稿，未审阅</translation>
    </message>
</context>
<context>
    <name>WordTableModel</name>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lock word</source>
        <translation>锁定词</translation>
    </message>
    <message>
        <source>Unlock word</source>
        <translation>解除锁定词</translation>
    </message>
    <message>
        <source>Edit word {0}</source>
        <translation>编辑第 {0} 个词</translation>
    </message>
</context>
<context>
    <name>_PreviewModel</name>
    <message>
        <source>Cue</source>
        <translation>字幕</translation>
    </message>
    <message>
        <source>Old start</source>
        <translation>原开始</translation>
    </message>
    <message>
        <source>Old end</source>
        <translation>原结束</translation>
    </message>
    <message>
        <source>New start</source>
        <translation>新开始</translation>
    </message>
    <message>
        <source>New end</source>
        <translation>新结束</translation>
    </message>
    <message>
        <source>Moved by</source>
        <translation>调整原因</translation>
    </message>
</context>
<context>
    <name>_Worker</name>
    <message>
        <source>An unexpected error stopped this task ({0}: {1}); the document was not changed.</source>
        <translation>发生意外错误，此任务已停止（{0}：{1}）；文档未被更改。</translation>
    </message>
</context>
</TS>
