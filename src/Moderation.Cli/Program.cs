using Moderation.Cli;

// train / eval from the command line: dotnet run --project src/Moderation.Cli -- <verb> <what> [options]
return args switch
{
    ["train", "profanity", .. var rest] => ProfanityCommands.Train(rest),
    ["eval", "profanity", .. var rest] => ProfanityCommands.Eval(rest),
    ["eval", "profanity-clean", .. var rest] => ProfanityCleanCommand.Run(rest),
    ["eval", "profanity-forms", .. var rest] => ProfanityFormsCommand.Run(rest),
    ["train", "relevance", .. var rest] => RelevanceCommands.Train(rest),
    ["eval", "relevance", .. var rest] => RelevanceCommands.Eval(rest),
    ["import", .. var rest] => ImportCommands.Import(rest),
    ["backup", .. var rest] => BackupCommand.Run(rest),
    ["worker", .. var rest] => WorkerCommand.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run --project src/Moderation.Cli -- <command>
          train profanity [--data DIR] [--out MODEL.bin] [--seed N] [--word-bits N] [--l2 X] [--norm-all]
          eval profanity (FILE.jsonl | --held-back) [--verdicts OUT.jsonl] [--model MODEL.bin] [--no-classifier] [--quiet]
          eval profanity-clean [--wordnet DIR] [--words FILE] [--list N] [--export DIR] [--model MODEL.bin] [--no-classifier]
          eval profanity-forms [--list N] [--model MODEL.bin] [--no-classifier]
          train relevance [--data DIR] [--seed N]
          eval relevance [--data DIR]
          import (see docs/CONNECTORS.md)
          backup FILE [--database PATH]   (docs/OPERATIONS.md)
          worker [--Moderation:Database=PATH ...]   the worker alone, no HTTP (docs/OPERATIONS.md)
        """);
    return 2;
}
