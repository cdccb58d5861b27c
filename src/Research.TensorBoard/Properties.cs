using System.Runtime.CompilerServices;

// The hand-written scalar encoder is checked byte for byte against Google.Protobuf in the tests.
[assembly: InternalsVisibleTo("Research.TensorBoard.Tests")]
