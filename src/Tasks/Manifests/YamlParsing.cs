using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Manifests;

/// <summary>
/// The one place a YAML parser is started, so that how often a text is parsed can be counted: an edit parses each
/// document it changes twice, once to locate the image (<see cref="YamlTreeReader"/>, whose events are kept) and once
/// to verify the edited text (<see cref="EditVerifier"/>).
/// </summary>
internal static class YamlParsing
{
    private static readonly AsyncLocal<List<string>?> Observed = new();

    /// <summary>A parser over <paramref name="text"/> that adds every event it reads to <paramref name="events"/> when given.</summary>
    public static IParser Open(string text, List<ParsingEvent>? events = null)
    {
        if (Observed.Value is { } observed)
            lock (observed) observed.Add(text);
        var parser = new Parser(new StringReader(text));
        return events is null ? parser : new RecordingParser(parser, events);
    }

    /// <summary>
    /// For tests: every text parsed from now on in this flow of control (this thread and the tasks it starts), until
    /// the returned scope is disposed.
    /// </summary>
    internal static ParseLog Observe() => new();

    internal sealed class ParseLog : IDisposable
    {
        private readonly List<string>? outer = Observed.Value;

        public ParseLog() => Observed.Value = Texts;

        /// <summary>The texts parsed, in order (a document's slice, or an edited document).</summary>
        public List<string> Texts { get; } = [];

        public void Dispose() => Observed.Value = outer;
    }

    private sealed class RecordingParser(IParser inner, List<ParsingEvent> events) : IParser
    {
        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
                return false;
            events.Add(inner.Current!);
            return true;
        }
    }
}
