namespace Skd.Cli.Commands;

/// <summary><c>skd methods [NAME]</c>: the training methods <c>--method</c> takes, and each one's options with defaults.</summary>
internal static class MethodsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Show this method's options only.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("methods", "List the training methods and their options (give them to skd train as --option name=value).");
        command.Arguments.Add(name);
        command.SetRunner(parse =>
        {
            var chosen = parse.GetValue(name) is { } n ? [Methods.Find(n)] : Methods.All;
            foreach (var m in chosen)
            {
                AnsiConsole.MarkupLine($"[bold]{m.Name}[/]{(m.NeedsTeacher ? " (needs --teacher)" : "")}: {Markup.Escape(m.Summary)}");
                if (m.Options.Count == 0) continue;
                var table = new Table().AddColumns("option", "default", "meaning");
                foreach (var o in m.Options) table.AddRow(Markup.Escape(o.Name), Markup.Escape(o.Default), Markup.Escape(o.Description));
                AnsiConsole.Write(table);
            }
            return 0;
        });
        return command;
    }
}
