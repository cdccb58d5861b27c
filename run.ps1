#!/usr/bin/env pwsh
# Thin wrapper: every verb runs the same dotnet command the README shows, nothing more.
#   ./run.ps1 test              dotnet test Research.sln
#   ./run.ps1 plugins [args]    research plugins list (or: ./run.ps1 plugins show PPO)
#   ./run.ps1 sweep <spec>      research sweep <spec>
#   ./run.ps1 train [args]      research train ...
#   ./run.ps1 bench [args]      the BenchmarkDotNet suite, in Release
param(
    [Parameter(Position = 0)][ValidateSet('test', 'plugins', 'sweep', 'train', 'bench')][string]$Verb = 'test',
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
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
