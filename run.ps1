#!/usr/bin/env pwsh
# Thin wrapper: every verb runs the same dotnet command the README shows, nothing more.
#   ./run.ps1 test              dotnet test Research.sln
#   ./run.ps1 plugins [args]    research plugins list (or: ./run.ps1 plugins show PPO)
#   ./run.ps1 sweep <spec>      research sweep <spec>
#   ./run.ps1 train [args]      research train ...
#   ./run.ps1 bench [args]      the BenchmarkDotNet suite, in Release
# No param() block on purpose: an advanced script would take the command's own options (-o, -v) as PowerShell's common
# parameters; every argument after the verb goes to the command untouched.
$ErrorActionPreference = 'Stop'
$verbs = 'test', 'plugins', 'sweep', 'train', 'bench'
$Verb = if ($args.Count -gt 0) { $args[0] } else { 'test' }
$Rest = if ($args.Count -gt 1) { $args[1..($args.Count - 1)] } else { @() }
if ($verbs -notcontains $Verb) {
    [Console]::Error.WriteLine("error: unknown verb '$Verb'; use one of: $($verbs -join ', ')")
    exit 2
}
Set-Location $PSScriptRoot

$cli = @('run', '--project', 'src/Research.Cli', '--')
switch ($Verb) {
    'test'    { dotnet test Research.sln @Rest }
    'plugins' { if ($Rest.Count -eq 0) { $Rest = @('list') }; dotnet @cli plugins @Rest }
    'sweep'   { dotnet @cli sweep @Rest }
    'train'   { dotnet @cli train @Rest }
    'bench'   { dotnet run -c Release --project tests/Research.Benchmarks -- @Rest }
}
exit $LASTEXITCODE
