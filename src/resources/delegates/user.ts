// The provider object of every User, as this module's exports (see ../delegate.ts).
import { delegateModule } from "../delegate";

export = delegateModule("User");
