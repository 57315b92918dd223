-- The eight ISPyB tables for upsync's embedded SQLite database (created on first use).
-- Matching columns use COLLATE NOCASE to mirror ISPyB's case-insensitive MariaDB collations
-- (NOCASE folds ASCII only; MariaDB's *_general_ci also folds accents and ignores trailing spaces).
CREATE TABLE IF NOT EXISTS `Laboratory` (
  `laboratoryId` integer PRIMARY KEY AUTOINCREMENT,
  `laboratoryUUID` varchar(45),
  `name` varchar(45) COLLATE NOCASE,
  `address` varchar(255),
  `city` varchar(45) COLLATE NOCASE,
  `country` varchar(45) COLLATE NOCASE,
  `url` varchar(255),
  `organization` varchar(45),
  `recordTimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `laboratoryExtPk` integer
);
CREATE TABLE IF NOT EXISTS `Person` (
  `personId` integer PRIMARY KEY AUTOINCREMENT,
  `laboratoryId` integer REFERENCES `Laboratory` (`laboratoryId`) ON DELETE CASCADE,
  `siteId` integer,
  `personUUID` varchar(45),
  `familyName` varchar(100),
  `givenName` varchar(45),
  `title` varchar(45),
  `emailAddress` varchar(60),
  `phoneNumber` varchar(45),
  `login` varchar(45) COLLATE NOCASE,
  `passwd` varchar(45),
  `faxNumber` varchar(45),
  `recordTimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `externalId` blob,
  `cache` text
);
CREATE INDEX IF NOT EXISTS `Person_FKIndex_Login` ON `Person` (`login`);
CREATE INDEX IF NOT EXISTS `Person_externalId` ON `Person` (`externalId`);
CREATE TABLE IF NOT EXISTS `Proposal` (
  `proposalId` integer PRIMARY KEY AUTOINCREMENT,
  `personId` integer NOT NULL DEFAULT 0 REFERENCES `Person` (`personId`) ON DELETE CASCADE ON UPDATE CASCADE,
  `title` varchar(200),
  `proposalCode` varchar(45) COLLATE NOCASE,
  `proposalNumber` varchar(45) COLLATE NOCASE,
  `proposalType` varchar(2),
  `bltimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `externalId` blob,
  `state` text DEFAULT 'Open' CHECK (`state` IN ('Open', 'Closed', 'Cancelled'))
);
CREATE INDEX IF NOT EXISTS `Proposal_FKIndexCodeNumber` ON `Proposal` (`proposalCode`, `proposalNumber`);
CREATE INDEX IF NOT EXISTS `Proposal_externalId` ON `Proposal` (`externalId`);
CREATE TABLE IF NOT EXISTS `ProposalHasPerson` (
  `proposalHasPersonId` integer PRIMARY KEY AUTOINCREMENT,
  `proposalId` integer NOT NULL REFERENCES `Proposal` (`proposalId`) ON DELETE CASCADE,
  `personId` integer NOT NULL REFERENCES `Person` (`personId`) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS `fk_ProposalHasPerson_Proposal` ON `ProposalHasPerson` (`proposalId`);
CREATE TABLE IF NOT EXISTS `LabContact` (
  `labContactId` integer PRIMARY KEY AUTOINCREMENT,
  `personId` integer NOT NULL REFERENCES `Person` (`personId`) ON DELETE CASCADE,
  `cardName` varchar(40) NOT NULL COLLATE NOCASE,
  `proposalId` integer NOT NULL REFERENCES `Proposal` (`proposalId`) ON DELETE CASCADE,
  `defaultCourrierCompany` varchar(45),
  `courierAccount` varchar(45),
  `billingReference` varchar(45),
  `dewarAvgCustomsValue` integer NOT NULL DEFAULT 0,
  `dewarAvgTransportValue` integer NOT NULL DEFAULT 0,
  `recordTimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (`personId`, `proposalId`),
  UNIQUE (`cardName`, `proposalId`)
);
CREATE TABLE IF NOT EXISTS `Protein` (
  `proteinId` integer PRIMARY KEY AUTOINCREMENT,
  `proposalId` integer NOT NULL DEFAULT 0 REFERENCES `Proposal` (`proposalId`) ON DELETE CASCADE ON UPDATE CASCADE,
  `name` varchar(255),
  `acronym` varchar(45) COLLATE NOCASE,
  `description` text,
  `hazardGroup` integer NOT NULL DEFAULT 1,
  `containmentLevel` integer NOT NULL DEFAULT 1,
  `safetyLevel` text CHECK (`safetyLevel` IN ('GREEN', 'YELLOW', 'RED')),
  `molecularMass` double,
  `proteinType` varchar(45),
  `sequence` text,
  `personId` integer,
  `bltimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `isCreatedBySampleSheet` integer DEFAULT 0,
  `externalId` blob,
  `componentTypeId` integer,
  `modId` varchar(20),
  `concentrationTypeId` integer,
  `global` integer DEFAULT 0
);
CREATE INDEX IF NOT EXISTS `ProteinAcronym_Index` ON `Protein` (`proposalId`, `acronym`);
CREATE INDEX IF NOT EXISTS `Protein_externalId` ON `Protein` (`externalId`);
CREATE TABLE IF NOT EXISTS `BLSession` (
  `sessionId` integer PRIMARY KEY AUTOINCREMENT,
  `expSessionPk` integer,
  `beamLineSetupId` integer,
  `proposalId` integer NOT NULL DEFAULT 0 REFERENCES `Proposal` (`proposalId`) ON DELETE CASCADE ON UPDATE CASCADE,
  `projectCode` varchar(45),
  `startDate` datetime,
  `endDate` datetime,
  `beamLineName` varchar(45),
  `scheduled` integer,
  `nbShifts` integer,
  `comments` varchar(2000),
  `beamLineOperator` varchar(255),
  `visit_number` integer DEFAULT 0,
  `bltimeStamp` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `usedFlag` integer,
  `sessionTitle` varchar(255),
  `structureDeterminations` float,
  `dewarTransport` float,
  `databackupFrance` float,
  `databackupEurope` float,
  `operatorSiteNumber` varchar(10),
  `lastUpdate` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `protectedData` varchar(1024),
  `externalId` blob,
  `nbReimbDewars` integer
);
CREATE INDEX IF NOT EXISTS `Session_FKIndex1` ON `BLSession` (`proposalId`, `expSessionPk`);
CREATE INDEX IF NOT EXISTS `BLSession_externalId` ON `BLSession` (`externalId`);
CREATE TABLE IF NOT EXISTS `Session_has_Person` (
  `sessionId` integer NOT NULL DEFAULT 0 REFERENCES `BLSession` (`sessionId`) ON DELETE CASCADE ON UPDATE CASCADE,
  `personId` integer NOT NULL DEFAULT 0 REFERENCES `Person` (`personId`) ON DELETE CASCADE ON UPDATE CASCADE,
  `role` text CHECK (`role` IN ('Local Contact', 'Local Contact 2', 'Staff', 'Team Leader', 'Co-Investigator', 'Principal Investigator', 'Alternate Contact')),
  `remote` integer DEFAULT 0,
  PRIMARY KEY (`sessionId`, `personId`)
);
