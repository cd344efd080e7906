import AnnalsCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

FaultReport.install()
exit(AnnalsCommand.execute(Array(CommandLine.arguments.dropFirst())))
