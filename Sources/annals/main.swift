import AnnalsCLI
import AnnalsPlatform

Memory.keepFreedHeapForReuse()
FaultReport.install()
System.exit(AnnalsCommand.execute(Array(CommandLine.arguments.dropFirst())))
