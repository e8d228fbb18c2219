// The provider object of every Plan, as this module's exports (see ../delegate.ts).
import { delegateModule } from "../delegate";

export = delegateModule("Plan");
