import Foundation
import SparkCLI

// The `spark` executable: everything it does lives in SparkCLI, which tests run in-process.
exit(await SparkCLI.main())
