// The provider object of every ApiKey, as this module's exports (see ../delegate.ts).
import { delegateModule } from "../delegate";

export = delegateModule("ApiKey");
