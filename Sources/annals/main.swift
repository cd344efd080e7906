import AnnalsCLI
import AnnalsPlatform

FaultReport.install()
System.exit(AnnalsCommand.execute(Array(CommandLine.arguments.dropFirst())))
